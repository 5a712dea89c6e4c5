/** Which adapter serves a provider of each wire API. */
import { DEFAULT_CHAT_CAPABILITIES, type ChatCapabilities } from '../config/chat-capabilities';
import type { ProviderAdapter, ProviderWire } from './adapter';
import { chatAdapter } from './chat/adapter';
import { passthroughAdapter } from './passthrough';

const RESPONSES = passthroughAdapter('responses');

export interface ProviderOptions {
  /** Who the provider is (its health key): a chat provider's refused fields are remembered per provider. */
  readonly providerKey: string;
  /** What a chat provider accepts (defaults: the strictest providers). */
  readonly capabilities?: ChatCapabilities;
}

/** The adapter for a provider of this wire: Responses passed through; Chat relayed, and /v1/responses translated to it. */
export function adapterFor(wire: ProviderWire, options: ProviderOptions): ProviderAdapter {
  switch (wire) {
    case 'responses':
      return RESPONSES;
    case 'chat':
      return chatAdapter({ capabilities: options.capabilities ?? DEFAULT_CHAT_CAPABILITIES, providerKey: options.providerKey });
  }
}
