/**
 * The provider health a request's attempts consult. Every request of an isolate shares one
 * IsolateHealth (free on the happy path); with the PROVIDER_HEALTH Durable Object bound, what
 * isolates learn is shared too: failures are reported to the provider's object (in the
 * background, after the attempt), its verdict is adopted, and a half-open breaker's one probe
 * is granted by it, so that a provider in trouble sees one probe per open period, not one per
 * isolate. A healthy provider's requests never call it.
 */
import type { Settings } from '../config/settings';
import { IsolateHealth, type AttemptKind, type Gate, type HealthOutcome, type ProviderHealth } from '../upstream/health';

const byDeployment = new WeakMap<Settings, IsolateHealth>();

export function isolateHealth(settings: Settings): IsolateHealth {
  let health = byDeployment.get(settings);
  if (health === undefined) {
    health = new IsolateHealth(settings.health.breaker, settings.health.budget);
    byDeployment.set(settings, health);
  }
  return health;
}

/** background: runs work that may outlive the response (waitUntil). */
export function providerHealth(settings: Settings, background: (work: Promise<unknown>) => void): ProviderHealth {
  const local = isolateHealth(settings);
  const { shared, breaker: policy } = settings.health;
  if (shared === null) return local;
  const object = (key: string) => shared.get(shared.idFromName(key));
  return {
    async admit(key: string, kind: AttemptKind): Promise<Gate> {
      const gate = local.gate(key, kind);
      if (gate.kind !== 'probe') return gate;
      try {
        const verdict = await object(key).probe(policy);
        if (verdict.admission.kind !== 'probe') local.adopt(key, verdict.breaker);
        return verdict.admission;
      } catch {
        return gate; // the shared state is out of reach: this isolate decides alone
      }
    },
    report(key: string, outcome: HealthOutcome, probe: boolean): Promise<void> {
      const before = local.breaker(key);
      const known = local.report(key, outcome, probe);
      // The happy path never calls out: a success is shared only when it ends a run of failures.
      const quiet = before.state === 'closed' && before.failures === 0;
      if (!probe && (outcome.kind === 'neutral' || outcome.kind === 'unknown' || (outcome.kind === 'success' && quiet))) return known;
      const shared = object(key)
        .report(outcome, probe, policy)
        .then((breaker) => {
          local.adopt(key, breaker);
        })
        .catch(() => undefined);
      background(shared);
      return shared;
    },
    onChange: (key: string, listener: () => void) => local.onChange(key, listener),
  };
}
