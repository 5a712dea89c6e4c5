/**
 * The provider health every request of this isolate shares: one IsolateHealth per deployment
 * (settings are parsed once per isolate, so this lives as long as the isolate does).
 */
import type { Settings } from '../config/settings';
import { IsolateHealth, type ProviderHealth } from '../upstream/health';

const byDeployment = new WeakMap<Settings, IsolateHealth>();

export function isolateHealth(settings: Settings): IsolateHealth {
  let health = byDeployment.get(settings);
  if (health === undefined) {
    health = new IsolateHealth(settings.health.breaker, settings.health.budget);
    byDeployment.set(settings, health);
  }
  return health;
}

export function providerHealth(settings: Settings): ProviderHealth {
  return isolateHealth(settings);
}
