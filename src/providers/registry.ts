/** Which adapter serves a provider of each wire API. */
import type { ProviderAdapter, ProviderWire } from './adapter';
import { passthroughAdapter } from './passthrough';

const ADAPTERS: Readonly<Record<ProviderWire, ProviderAdapter>> = {
  responses: passthroughAdapter('responses'),
  chat: passthroughAdapter('chat'),
};

/** The adapter for a provider of this wire. */
export function adapterFor(wire: ProviderWire): ProviderAdapter {
  return ADAPTERS[wire];
}
