/** The operator page's shell: head (CSP-friendly: own stylesheet and script only), navigation, main. */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export const UI = '/admin/ui';

export type View = 'overview' | 'providers' | 'teams' | 'requests';

const NAV: readonly (readonly [View, string, string])[] = [
  ['overview', 'Overview', UI],
  ['providers', 'Providers', `${UI}/providers`],
  ['teams', 'Teams', `${UI}/teams`],
  ['requests', 'Recent requests', `${UI}/requests`],
];

function head(title: string, csrf: string | null): Markup {
  return html`<meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    ${csrf === null ? '' : html`<meta name="csrf-token" content="${csrf}" />`}
    <title>${title} · codex-edge</title>
    <link rel="stylesheet" href="${UI}/assets/app.css" />
    <script src="${UI}/assets/app.js" defer></script>`;
}

export function page(view: View, title: string, csrf: string, body: Markup): Markup {
  return html`<!doctype html>
    <html lang="en">
      <head>
        ${head(title, csrf)}
      </head>
      <body>
        <header>
          <strong>codex-edge</strong>
          <nav aria-label="Operator view">
            ${NAV.map(([id, label, href]) => html`<a href="${href}" ${id === view ? html`aria-current="page"` : ''}>${label}</a>`)}
          </nav>
          <form method="post" action="${UI}/logout" class="inline">
            <input type="hidden" name="csrf" value="${csrf}" /><button type="submit">Sign out</button>
          </form>
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

export function signInPage(problem: string | null): Markup {
  return html`<!doctype html>
    <html lang="en">
      <head>
        ${head('Sign in', null)}
      </head>
      <body>
        <main>
          <h1>codex-edge: sign in</h1>
          <form method="post" action="${UI}/login" class="row">
            <label>Admin token <input type="password" name="token" autocomplete="current-password" required /></label>
            <button type="submit">Sign in</button>
          </form>
          ${problem === null ? '' : html`<p role="alert">${problem}</p>`}
          <p class="muted">
            The token is checked once; the browser then holds a signed session cookie (HttpOnly, SameSite=Strict) for 8 hours, never the token.
          </p>
        </main>
      </body>
    </html>`;
}

/** A time, shown in the viewer's zone by the page's script (UTC without it). */
export function time(at: number | string, form: 'full' | 'hour' = 'full'): Markup {
  const iso = typeof at === 'number' ? new Date(at).toISOString() : at;
  return html`<time datetime="${iso}" data-form="${form}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>`;
}
