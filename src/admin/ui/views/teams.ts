/**
 * The teams view (hosted mode): the teams and their usage today; one team's keys (prefix, last
 * used, revoke), providers (upstream keys write-only: never shown, only replaced), routes, limits
 * and usage of the last 30 days. Every form writes through the admin API (the page's script).
 * A limit is shown as it is enforced: the team's own, else the deployment's default (said so).
 */
import { html } from 'hono/html';
import { keyStatus } from '../../keys';
import { teamLimit } from '../../../teams/limits';
import type { ApiKey, Route, StoredProvider, Team } from '../../../teams/model';
import type { RequestLimits } from '../../../upstream/limiter';
import type { UsageCounts } from '../../../teams/usage';
import { compact, count } from '../format';
import { time, UI, type Markup } from '../layout';

/** What the deployment holds teams to: its defaults for a team that sets none, and whether anything enforces limits. */
export interface LimitPolicy {
  readonly defaults: RequestLimits;
  /** False without the TEAM_LIMITER binding: no limit is enforced. */
  readonly enforced: boolean;
}

export interface TeamRow {
  readonly team: Team;
  readonly today: UsageCounts;
}

export interface TeamDetail {
  readonly team: Team;
  readonly keys: readonly ApiKey[];
  readonly providers: readonly StoredProvider[];
  readonly routes: readonly Route[];
  readonly usage: UsageCounts;
  readonly today: UsageCounts;
  readonly now: Date;
  readonly policy: LimitPolicy;
}

/** The deployment setting that holds a team without a limit of its own. */
const DEFAULT_SETTING = { rpm: 'TEAM_DEFAULT_RPM', maxStreams: 'TEAM_DEFAULT_MAX_STREAMS' } as const;

/** A team's limit as enforced: its own, else the deployment's default (named), else unlimited. */
function limit(team: Team, which: keyof RequestLimits, policy: LimitPolicy): Markup | string {
  const { value, source } = teamLimit(team.overrides[which], policy.defaults[which]);
  if (value === null) return 'unlimited';
  return source === 'default' ? html`${count(value)} <small class="muted">default (${DEFAULT_SETTING[which]})</small>` : count(value);
}

function unenforced(policy: LimitPolicy): Markup | string {
  return policy.enforced ? '' : html`<p class="failed">Limits are not enforced: this deployment has no <code>TEAM_LIMITER</code> binding.</p>`;
}

/** A form the page's script sends to the admin API as JSON; `output` shows its answer. */
function apiForm(api: string, label: string, fields: Markup | string, confirm: string | null = null): Markup {
  return html`<form data-api="${api}" class="row" ${confirm === null ? '' : html`data-confirm="${confirm}"`}>
    ${fields}<button type="submit">${label}</button>
    <output aria-live="polite"></output>
  </form>`;
}

/** Single-upstream mode: there is no registry, and the view says where teams live. */
export function hostedOnlyView(): Markup {
  return html`<p>
    Teams are the hosted mode's: this deployment serves one upstream and has no team registry. With the hosted environment (<code>npm run deploy:hosted</code>,
    the D1 binding <code>DB</code>), teams, their keys, providers, routes and usage are managed here (docs/teams.md).
  </p>`;
}

export function teamsView(rows: readonly TeamRow[], policy: LimitPolicy): Markup {
  return html`${unenforced(policy)}
    <div class="table">
      <table>
        <thead>
          <tr>
            <th>Team</th>
            <th>Name</th>
            <th>State</th>
            <th class="n">Requests today</th>
            <th class="n">Failed today</th>
            <th class="n">rpm limit</th>
            <th class="n">Streams limit</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ({ team, today }) =>
              html`<tr>
                <td><a href="${UI}/teams/${encodeURIComponent(team.id)}">${team.id}</a></td>
                <td>${team.name}</td>
                <td>${team.enabled ? 'enabled' : 'disabled'}</td>
                <td class="n">${count(today.requests)}</td>
                <td class="n">${count(today.failed)}</td>
                <td class="n">${limit(team, 'rpm', policy)}</td>
                <td class="n">${limit(team, 'maxStreams', policy)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2>New team</h2>
    ${apiForm('POST /admin/teams', 'Create team', html`<label>Id <input name="id" required /></label><label>Name <input name="name" required /></label>`)}
    <noscript><p>Changes need the page's script (reading does not).</p></noscript>`;
}

function revokeForm(path: string, prefix: string): Markup {
  return apiForm(`POST ${path}`, 'Revoke', '', `Revoke key ${prefix}…? Requests with it are refused at once.`);
}

function keysTable(detail: TeamDetail): Markup {
  const base = `/admin/teams/${encodeURIComponent(detail.team.id)}`;
  return html`<div class="table">
    <table aria-label="Keys">
      <thead>
        <tr>
          <th>Name</th>
          <th>Prefix</th>
          <th>State</th>
          <th>Created</th>
          <th>Last used</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${detail.keys.map((key) => {
          const status = keyStatus(key, detail.now);
          return html`<tr data-key="${key.prefix}">
            <td>${key.name ?? ''}</td>
            <td><code>${key.prefix}…</code></td>
            <td class="${status === 'active' ? 'ok' : 'failed'}">${status}</td>
            <td>${time(key.createdAt)}</td>
            <td>${key.lastUsedAt === null ? html`<span class="muted">never</span>` : time(key.lastUsedAt)}</td>
            <td>${status === 'active' ? revokeForm(`${base}/keys/${encodeURIComponent(key.id)}/revoke`, key.prefix) : ''}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function providersTable(detail: TeamDetail): Markup {
  const base = `/admin/teams/${encodeURIComponent(detail.team.id)}/providers`;
  return html`<div class="table">
    <table aria-label="Providers">
      <thead>
        <tr>
          <th>Name</th>
          <th>Base URL</th>
          <th>Wire API</th>
          <th>Upstream key</th>
          <th>Replace the key (write-only)</th>
        </tr>
      </thead>
      <tbody>
        ${detail.providers.map(
          (provider) =>
            html`<tr>
              <td>${provider.name}</td>
              <td>${provider.baseUrl}</td>
              <td>${provider.wireApi}</td>
              <td>${provider.auth === 'client' ? "the client's own" : provider.keyCiphertext === null ? 'none' : 'stored, encrypted'}</td>
              <td>
                ${apiForm(
                  `PATCH ${base}/${encodeURIComponent(provider.name)}`,
                  'Replace',
                  html`<label>New key <input name="api_key" type="password" autocomplete="off" required /></label>`,
                )}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function routesList(routes: readonly Route[]): Markup {
  if (routes.length === 0) return html`<p>No routes: the team's keys can reach no model.</p>`;
  return html`<ul>
    ${routes.map(
      (route) =>
        html`<li>
          <code>${[route.model, ...route.aliases].join(', ')}</code> →
          ${route.targets.map((target) => (target.model === null ? target.provider : `${target.provider} (${target.model})`)).join(', then ')}
        </li>`,
    )}
  </ul>`;
}

export function teamView(detail: TeamDetail): Markup {
  const { team, usage, today, policy } = detail;
  const base = `/admin/teams/${encodeURIComponent(team.id)}`;
  return html`<p>${team.name} · ${team.enabled ? 'enabled' : html`<strong class="failed">disabled</strong>`}</p>
    <h2>Usage against limits</h2>
    ${unenforced(policy)}
    <dl class="cards">
      <div class="card">
        <dt>Requests today</dt>
        <dd>${count(today.requests)}</dd>
      </div>
      <div class="card">
        <dt>Requests, 30 days</dt>
        <dd>${count(usage.requests)}</dd>
        <small class="muted">${count(usage.failed)} failed, ${count(usage.absorbed)} absorbed</small>
      </div>
      <div class="card">
        <dt>Tokens, 30 days</dt>
        <dd>${compact(usage.input_tokens)} in / ${compact(usage.output_tokens)} out</dd>
      </div>
      <div class="card">
        <dt>Requests per minute</dt>
        <dd>${limit(team, 'rpm', policy)}</dd>
      </div>
      <div class="card">
        <dt>Streams at once</dt>
        <dd>${limit(team, 'maxStreams', policy)}</dd>
      </div>
    </dl>
    ${apiForm(
      `PATCH ${base}`,
      'Set limits',
      html`<label>rpm <input name="rpm" type="number" min="1" /></label><label>Streams at once <input name="max_streams" type="number" min="1" /></label>`,
    )}
    <h2>Keys</h2>
    ${keysTable(detail)}
    <h3>New key</h3>
    ${apiForm(`POST ${base}/keys`, 'Create key', html`<label>Name <input name="name" /></label>`)}
    <h2>Providers</h2>
    ${providersTable(detail)}
    <h2>Routes</h2>
    ${routesList(detail.routes)}
    <noscript><p>Changes need the page's script (reading does not).</p></noscript>`;
}
