/** Worker entry. */
import { app } from './app';

export default app;
export { ProviderHealthObject } from './upstream/health-object';
export { TeamLimiterObject } from './upstream/limiter-object';
