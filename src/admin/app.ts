/**
 * The admin API, mounted at /admin: the route table of the team registry. Every call passes the
 * settings and the admin token check (auth.ts); every change is audited (call.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { settings } from '../http/middleware';
import { getAudit } from './audit';
import { adminAuth } from './auth';
import { createKey, listTeamKeys, revokeTeamKey } from './keys';
import { createProvider, getOneProvider, listTeamProviders, removeProvider, updateProvider } from './providers';
import { getRoutes, setRoutes } from './routes';
import { createTeam, getOneTeam, listAllTeams, updateTeam } from './teams';
import { getUsage } from './usage';

export const admin = new Hono<AppEnv>();

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
