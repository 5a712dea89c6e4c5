/**
 * Optional fields a provider refused. A chat provider that answers 400 (or 422) naming a field
 * the translation added on its own (`stream_options`, `parallel_tool_calls`, `reasoning_effort`,
 * `strict`, `reasoning_content`) has it switched off: the request is sent once more without it,
 * and so is every later one to that provider, for the isolate's lifetime. Configured
 * capabilities are the starting point; this only ever takes switches away.
 */
import type { ChatCapabilities } from '../../config/chat-capabilities';
import type { AttemptFailure } from '../../upstream/outcome';
import type { OptionalField } from './request';

/** How a provider's error names each optional field. */
const MENTIONS: Readonly<Record<OptionalField, RegExp>> = {
  stream_usage: /stream_options|include_usage/i,
  parallel_tool_calls: /parallel_tool_calls/i,
  reasoning_effort: /reasoning_effort/i,
  strict_tools: /\bstrict\b/i,
  reasoning_content: /reasoning_content/i,
};

const MAX_PROVIDERS = 1_000;
const refused = new Map<string, Set<OptionalField>>();

/** The optional field a provider's refusal names, if this request sent it. */
export function refusedField(failure: AttemptFailure, sent: ReadonlySet<OptionalField>): OptionalField | null {
  if (failure.kind !== 'status' || (failure.status !== 400 && failure.status !== 422)) return null;
  const said = [failure.error.param, failure.error.message, failure.error.code].filter((part) => part !== null).join(' ');
  for (const field of sent) if (MENTIONS[field].test(said)) return field;
  return null;
}

export function rememberRefusal(providerKey: string, field: OptionalField): void {
  const known = refused.get(providerKey) ?? new Set<OptionalField>();
  known.add(field);
  refused.delete(providerKey);
  refused.set(providerKey, known);
  while (refused.size > MAX_PROVIDERS) {
    const oldest = refused.keys().next();
    if (oldest.done === true) break;
    refused.delete(oldest.value);
  }
}

export function refusedFields(providerKey: string): readonly OptionalField[] {
  return [...(refused.get(providerKey) ?? [])];
}

/** The capabilities to translate with: the configured ones, less what the provider refused. */
export function effectiveCapabilities(configured: ChatCapabilities, providerKey: string): ChatCapabilities {
  const fields = refused.get(providerKey);
  if (fields === undefined || fields.size === 0) return configured;
  return {
    ...configured,
    streamUsage: configured.streamUsage && !fields.has('stream_usage'),
    parallelToolCalls: configured.parallelToolCalls && !fields.has('parallel_tool_calls'),
    reasoningEfforts: fields.has('reasoning_effort') ? [] : configured.reasoningEfforts,
    strictTools: configured.strictTools && !fields.has('strict_tools'),
    reasoningContent: configured.reasoningContent && !fields.has('reasoning_content'),
  };
}

/** Forgets every refusal (tests). */
export function forgetRefusals(): void {
  refused.clear();
}
