/** The Hono environment shared by the app, its middleware and its routes. */
import type { Settings } from '../config/settings';
import type { Env } from '../config/env';
import type { RequestTrace } from './log';
import type { TeamView } from '../teams/tenant';
import type { Tenant } from '../tenancy/tenant';
import type { ClientProfile } from './client-profile';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    trace: RequestTrace;
    profile: ClientProfile;
    /** The keys the client presented (secrets.ts): kept out of every answer and log line. */
    clientSecrets: readonly (string | null)[];
    /** The client asked for a Responses stream (POST /v1/responses, stream: true): decides how Codex is told to wait. */
    responsesStream: boolean;
    settings: Settings;
    /** Set by the auth middleware: where this request may go. */
    tenant: Tenant;
    /** Set by the auth middleware: the team of a team key, null in single-upstream mode. */
    team: TeamView | null;
  };
}
