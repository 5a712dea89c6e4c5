/**
 * The admin API, mounted at /admin: the route table of the team registry and the recent-request
 * store, and the operator page (ui/, at /admin/ui). Every API call passes the settings and the
 * admin check (auth.ts: the token, or the page's session with its CSRF token on writes); every
 * change is audited (call.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { settings } from '../http/middleware';
import { getAudit } from './audit';
import { adminAuth, adminSettings } from './auth';
import { createKey, listTeamKeys, revokeTeamKey } from './keys';
import { createProvider, getOneProvider, listTeamProviders, removeProvider, updateProvider } from './providers';
import { getRoutes, setRoutes } from './routes';
import { createTeam, getOneTeam, listAllTeams, updateTeam } from './teams';
import { getOverview, getRequests } from './requests';
import { ui } from './ui/app';
import { UI } from './ui/layout';
import { getUsage } from './usage';

export const admin = new Hono<AppEnv>();

// The operator page first: its routes answer before the API's bearer check would run.
admin.route('/ui', ui);
for (const path of ['/', '/ui/']) {
  admin.get(path, settings, (c) => {
    adminSettings(c);
    return c.redirect(UI, 303);
  });
}
admin.use('*', settings, adminAuth);
admin.get('/teams', listAllTeams);
admin.post('/teams', createTeam);
admin.get('/teams/:team', getOneTeam);
admin.patch('/teams/:team', updateTeam);
admin.get('/teams/:team/keys', listTeamKeys);
admin.post('/teams/:team/keys', createKey);
admin.post('/teams/:team/keys/:key/revoke', revokeTeamKey);
admin.get('/teams/:team/providers', listTeamProviders);
admin.post('/teams/:team/providers', createProvider);
admin.get('/teams/:team/providers/:provider', getOneProvider);
admin.patch('/teams/:team/providers/:provider', updateProvider);
admin.delete('/teams/:team/providers/:provider', removeProvider);
admin.get('/teams/:team/routes', getRoutes);
admin.put('/teams/:team/routes', setRoutes);
admin.get('/teams/:team/usage', getUsage);
admin.get('/audit', getAudit);
admin.get('/requests', getRequests);
admin.get('/overview', getOverview);
