/**
 * A V8 CPU profile (Chrome DevTools Protocol `Profiler.stop`) summed up: time per function (its
 * own, and with what it calls), and per module of the bundle, where time spent in runtime
 * built-ins (a stream read, a fetch, a TextDecoder) counts for the module that called them.
 */

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based. */
  readonly lineNumber: number;
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** The node on top of the stack at each sample. */
  readonly samples: readonly number[];
  /** µs since the sample before. */
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly us: number;
}

export interface ProfileSummary {
  /** µs sampled, idle included. */
  readonly totalUs: number;
  readonly idleUs: number;
  /** Own time per function, most first. */
  readonly self: readonly Share[];
  /** Time per function with everything it called (a recursive function counted once per sample). */
  readonly inclusive: readonly Share[];
  /** Own time per module, built-ins counted for their caller's module. */
  readonly modules: readonly Share[];
}

/** V8's pseudo-frames: not code of the Worker. */
const PSEUDO = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

/** Line (0-based) of a bundle → the module it belongs to, from esbuild's `// src/...` / `// node_modules/...` markers. */
export function moduleLocator(bundle: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  bundle.split('\n').forEach((text, line) => {
    const marker = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
    if (marker?.[1] !== undefined) starts.push({ line, module: marker[1].replace(/^node_modules\/([^/]+)\/.*$/, '$1') });
  });
  return (line) => {
    let found = '(bundle)';
    for (const start of starts) {
      if (start.line > line) break;
      found = start.module;
    }
    return found;
  };
}

export function summarizeProfile(profile: CpuProfile, moduleOf: (line: number) => string): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const own = new Map<number, number>();
  profile.samples.forEach((id, i) => own.set(id, (own.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const functionName = (node: ProfileNode): string => {
    const { functionName: name, url, lineNumber } = node.callFrame;
    if (PSEUDO.has(name)) return name;
    if (url === '') return `${name || '(anonymous)'} (built-in)`;
    return `${name || '(anonymous)'} ${moduleOf(lineNumber)}`;
  };
  const moduleName = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const node = nodes.get(at);
      if (node === undefined) break;
      if (PSEUDO.has(node.callFrame.functionName)) return node.callFrame.functionName;
      if (node.callFrame.url !== '') return moduleOf(node.callFrame.lineNumber);
    }
    return '(built-ins)';
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number): void => {
    map.set(key, (map.get(key) ?? 0) + us);
  };
  let totalUs = 0;
  for (const [id, us] of own) {
    const node = nodes.get(id);
    if (node === undefined) continue;
    totalUs += us;
    add(self, functionName(node), us);
    add(modules, moduleName(id), us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const ancestor = nodes.get(at);
      if (ancestor === undefined) break;
      const name = functionName(ancestor);
      if (!seen.has(name)) add(inclusive, name, us);
      seen.add(name);
    }
  }
  const sorted = (map: Map<string, number>): Share[] => [...map].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us);
  return { totalUs, idleUs: self.get('(idle)') ?? 0, self: sorted(self), inclusive: sorted(inclusive), modules: sorted(modules) };
}
