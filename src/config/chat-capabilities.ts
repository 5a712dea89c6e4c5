/**
 * What a Chat Completions provider accepts, as far as the Responses → Chat translation cares.
 * The defaults work on the strictest providers (no `developer` role, one leading system message,
 * no `strict` in function schemas, no `parallel_tool_calls`, no `reasoning_effort`, no reasoning
 * given back); `stream_usage` is on, because Codex needs token counts, and a provider that
 * refuses `stream_options` with a 400 has it switched off (providers/chat/learned.ts).
 *
 * One set of names, two spellings: a single upstream's `UPSTREAM_CHAT_CAPABILITIES` is a comma
 * list (`developer_role,reasoning_effort=low|medium|high,stream_usage=false`), a team provider's
 * `capabilities` admin field is a JSON object (`{"developer_role": true, "reasoning_effort":
 * ["low", "high"]}`). Both only say what differs from the defaults.
 */

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface ChatCapabilities {
  /** The provider takes the `developer` role (else developer messages are sent as `system`). */
  readonly developerRole: boolean;
  /** The provider takes system messages after the first (else all are folded into the first). */
  readonly systemAnywhere: boolean;
  /** The provider takes `strict` in function definitions. */
  readonly strictTools: boolean;
  /** The provider takes `stream_options.include_usage` (token counts at the end of a stream). */
  readonly streamUsage: boolean;
  /** The provider takes `parallel_tool_calls`. */
  readonly parallelToolCalls: boolean;
  /** The `reasoning_effort` values it takes; empty: the field is never sent. */
  readonly reasoningEfforts: readonly ReasoningEffort[];
  /** The provider wants its reasoning back as `reasoning_content` on assistant messages (DeepSeek with tools). */
  readonly reasoningContent: boolean;
}

export const DEFAULT_CHAT_CAPABILITIES: ChatCapabilities = {
  developerRole: false,
  systemAnywhere: false,
  strictTools: false,
  streamUsage: true,
  parallelToolCalls: false,
  reasoningEfforts: [],
  reasoningContent: false,
};

/** The public names of the switches, as the env var, the admin API and the README spell them. */
export const CAPABILITY_NAMES = {
  developer_role: 'developerRole',
  system_anywhere: 'systemAnywhere',
  strict_tools: 'strictTools',
  stream_usage: 'streamUsage',
  parallel_tool_calls: 'parallelToolCalls',
  reasoning_effort: 'reasoningEfforts',
  reasoning_content: 'reasoningContent',
} as const satisfies Record<string, keyof ChatCapabilities>;

export type CapabilityName = keyof typeof CAPABILITY_NAMES;
const NAMES = Object.keys(CAPABILITY_NAMES) as CapabilityName[];

export class CapabilityError extends Error {}

type Mutable = { -readonly [K in keyof ChatCapabilities]: ChatCapabilities[K] };

function knownName(name: string): CapabilityName {
  const found = NAMES.find((candidate) => candidate === name);
  if (found === undefined) throw new CapabilityError(`"${name}" is not a capability; known: ${NAMES.join(', ')}`);
  return found;
}

function efforts(values: readonly unknown[], name: string): ReasoningEffort[] {
  return values.map((value) => {
    const found = REASONING_EFFORTS.find((effort) => effort === value);
    if (found === undefined) throw new CapabilityError(`${name} values must be among ${REASONING_EFFORTS.join(', ')}; got ${JSON.stringify(value)}`);
    return found;
  });
}

/** The comma list of UPSTREAM_CHAT_CAPABILITIES; throws a CapabilityError naming what is wrong. */
export function parseCapabilityList(text: string): ChatCapabilities {
  const out: Mutable = { ...DEFAULT_CHAT_CAPABILITIES };
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const [rawName = '', rawValue] = entry.split('=', 2).map((part) => part.trim());
    const name = knownName(rawName);
    const key = CAPABILITY_NAMES[name];
    if (key === 'reasoningEfforts') {
      if (rawValue === undefined || rawValue === '')
        throw new CapabilityError('reasoning_effort needs values, e.g. reasoning_effort=low|medium|high (reasoning_effort=off: never sent)');
      out.reasoningEfforts =
        rawValue === 'off'
          ? []
          : efforts(
              rawValue.split('|').map((value) => value.trim()),
              name,
            );
      continue;
    }
    if (rawValue === undefined || rawValue === 'true') out[key] = true;
    else if (rawValue === 'false') out[key] = false;
    else throw new CapabilityError(`${name} takes true or false (or no value for true); got "${rawValue}"`);
  }
  return out;
}

/** The JSON object of a team provider's `capabilities` field (only what differs from the defaults). */
export function capabilitiesFromJson(value: unknown): ChatCapabilities {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CapabilityError('must be a JSON object of capability switches');
  const out: Mutable = { ...DEFAULT_CHAT_CAPABILITIES };
  for (const [rawName, raw] of Object.entries(value as Record<string, unknown>)) {
    const name = knownName(rawName);
    const key = CAPABILITY_NAMES[name];
    if (key === 'reasoningEfforts') {
      if (!Array.isArray(raw)) throw new CapabilityError(`${name} must be an array of effort values, e.g. ["low", "medium", "high"] ([]: never sent)`);
      out.reasoningEfforts = efforts(raw, name);
      continue;
    }
    if (typeof raw !== 'boolean') throw new CapabilityError(`${name} must be true or false`);
    out[key] = raw;
  }
  return out;
}

/** The switches that differ from the defaults, as the admin API shows and stores them. */
export function capabilitiesToJson(capabilities: ChatCapabilities): Record<string, boolean | readonly string[]> {
  const out: Record<string, boolean | readonly string[]> = {};
  for (const name of NAMES) {
    const key = CAPABILITY_NAMES[name];
    const value = capabilities[key];
    const fallback = DEFAULT_CHAT_CAPABILITIES[key];
    if (JSON.stringify(value) !== JSON.stringify(fallback)) out[name] = value;
  }
  return out;
}
