/** The Hono environment of the operator page: the app's, plus the signed-in session. */
import type { AppEnv } from '../../http/context';
import type { Session } from '../session';

export interface UiEnv extends AppEnv {
  Variables: AppEnv['Variables'] & {
    /** The admin token (the page exists only while it is set). */
    token: string;
    session: Session;
    /** The session's CSRF token, for the page's <meta> and forms. */
    csrf: string;
  };
}
