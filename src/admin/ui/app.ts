/**
 * The operator page, mounted at /admin/ui: sign-in with the admin token (a session cookie,
 * session.ts), then server-rendered views of the recent-request store, provider health and the
 * team registry. It exists only where the admin API does (404 while ADMIN_TOKEN is unset); its
 * writes go from the page's script to the admin API itself, so they are audited like any other.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { forbidden } from '../../core/errors';
import { settings } from '../../http/middleware';
import { adminSettings, checkAdminToken } from '../auth';
import { csrfMatches, csrfToken, endSession, readSession, startSession } from '../session';
import type { UiEnv } from './env';
import { SCRIPT, STYLES } from './assets';
import { signInPage, UI } from './layout';
import { overviewPage, providersPage, requestsPage, teamPage, teamsPage } from './pages';

export const ui = new Hono<UiEnv>();

const LOGIN_MESSAGES = {
  'team-key': 'A team key cannot sign in here: use the admin token (ADMIN_TOKEN).',
  wrong: 'That is not the admin token.',
} as const;

ui.use(
  '*',
  settings,
  async (c, next) => {
    c.set('token', adminSettings(c).token);
    await next();
    c.header('cache-control', 'no-store');
  },
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
  }),
);

/** hono/csrf (Origin and Sec-Fetch-Site must be this site's) on the page's form posts, refusing in the gateway's one error shape. */
const sameSite: MiddlewareHandler<UiEnv> = async (c, next) => {
  try {
    await csrf()(c, next);
  } catch (err) {
    if (err instanceof HTTPException && err.status === 403) throw forbidden('codex-edge: a form posted from another site', 'cross_site_form');
    throw err;
  }
};

/** Every other page needs a session; without one the browser is sent to sign in. */
const signedIn: MiddlewareHandler<UiEnv> = async (c, next) => {
  const session = await readSession(c, c.get('token'), Date.now());
  if (session === null) return c.redirect(`${UI}/login`, 303);
  c.set('session', session);
  c.set('csrf', await csrfToken(session, c.get('token')));
  await next();
};

ui.get('/assets/app.css', (c) => c.body(STYLES, 200, { 'content-type': 'text/css; charset=utf-8' }));
ui.get('/assets/app.js', (c) => c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

ui.get('/login', (c) => c.html(signInPage(null)));
ui.post('/login', sameSite, async (c) => {
  const form = await c.req.parseBody();
  const presented = typeof form['token'] === 'string' ? form['token'].trim() : '';
  const checked = await checkAdminToken(presented, c.get('token'));
  if (checked !== 'admin') return c.html(signInPage(LOGIN_MESSAGES[checked]), 401);
  await startSession(c, c.get('token'), Date.now());
  return c.redirect(UI, 303);
});

ui.post('/logout', sameSite, signedIn, async (c) => {
  const form = await c.req.parseBody();
  if (!(await csrfMatches(c.get('session'), c.get('token'), typeof form['csrf'] === 'string' ? form['csrf'] : undefined)))
    throw forbidden("codex-edge: sign-out needs the page's CSRF token; reload the page", 'csrf_token_invalid');
  endSession(c);
  return c.redirect(`${UI}/login`, 303);
});

ui.get('/', signedIn, overviewPage);
ui.get('/providers', signedIn, providersPage);
ui.get('/teams', signedIn, teamsPage);
ui.get('/teams/:team', signedIn, teamPage);
ui.get('/requests', signedIn, requestsPage);
