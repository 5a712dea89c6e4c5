/** The providers view: per provider, its breaker, the retry budget in use, the last day's attempts by outcome and the newest failures. */
import { html } from 'hono/html';
import type { AttemptSummary } from '../../../http/request-record';
import type { Breaker } from '../../../upstream/breaker';
import type { ProviderStatus } from '../../provider-health';
import { count, duration, share } from '../format';
import { time, type Markup } from '../layout';
import { KIND_LABELS, KIND_ORDER } from './overview';

function breakerText(breaker: Breaker): Markup {
  switch (breaker.state) {
    case 'closed':
      return html`<span class="ok">closed</span>${breaker.failures > 0 ? html` <span class="muted">(${count(breaker.failures)} recent failures)</span>` : ''}`;
    case 'open':
      return html`<span class="failed">open</span> until ${time(breaker.until)}: ${breaker.reason}`;
    case 'half-open':
      return html`<span class="absorbed">half-open</span> (one probe in flight): ${breaker.reason}`;
  }
}

function failureText(attempt: AttemptSummary): string {
  return attempt.status === null ? attempt.outcome : `${attempt.outcome} ${attempt.status}`;
}

function provider(status: ProviderStatus): Markup {
  const kinds = KIND_ORDER.filter((kind) => status.failures[kind] > 0).map((kind) => [kind, KIND_LABELS[kind]] as const);
  return html`<section aria-label="${status.target}">
    <h2>${status.teamId === null ? 'Single upstream' : `Team ${status.teamId}`}: ${status.target}</h2>
    <dl class="cards">
      <div class="card">
        <dt>Breaker</dt>
        <dd>${breakerText(status.breaker)}</dd>
      </div>
      <div class="card">
        <dt>Retry budget in use (this isolate, 10 s)</dt>
        <dd>${count(status.budget.used)} / ${count(status.budget.allowed)}</dd>
      </div>
      <div class="card">
        <dt>Attempts, last 24 h</dt>
        <dd>${count(status.attempts)}</dd>
        <small class="muted">${share(status.ok, status.attempts)} ok</small>
      </div>
    </dl>
    <p class="muted">${status.baseUrl}</p>
    ${
      kinds.length === 0
        ? html`<p>No failed attempts in the last 24 h.</p>`
        : html`<div class="table">
              <table aria-label="Error mix">
                <tbody>
                  ${kinds.map(
                    ([kind, label]) =>
                      html`<tr>
                        <th scope="row">${label}</th>
                        <td class="n">${count(status.failures[kind])}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <h3>Newest failures</h3>
            <ul>
              ${status.last.map((attempt) => html`<li>${time(attempt.at)}: ${failureText(attempt)} after ${duration(attempt.ms)}</li>`)}
            </ul>`
    }
  </section>`;
}

export function providersView(statuses: readonly ProviderStatus[]): Markup {
  if (statuses.length === 0) return html`<p>No provider yet: set UPSTREAM_BASE_URL, or create a team's provider.</p>`;
  return html`${statuses.map(provider)}`;
}
