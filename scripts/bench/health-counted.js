// The built Worker with its provider-health Durable Object counted (npm run bench, scripts/lib/gateway.ts
// `healthObject: 'counted'`): the same Worker and the same object class, each call to the object
// counted; GET /__bench/health-calls tells the count. Copied beside the bundle (index.js) to run.
import worker, { ProviderHealthObject } from './index.js';

export * from './index.js';

let calls = 0;

export class CountedProviderHealth extends ProviderHealthObject {
  probe(...args) {
    calls += 1;
    return super.probe(...args);
  }

  report(...args) {
    calls += 1;
    return super.report(...args);
  }
}

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/__bench/health-calls') return Response.json({ calls });
    return worker.fetch(request, env, ctx);
  },
};
