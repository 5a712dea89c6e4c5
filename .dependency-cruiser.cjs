/**
 * The layers of src/, bottom to top: a module may import only from its own layer and the
 * layers below it. `npm test` runs this (npm run lint:deps), so the order stays true.
 *   core       the error type and shape, redaction, JSON and byte helpers: imports nothing
 *   stream     SSE framing, the event source and its writers, terminal-event guarantees
 *   upstream   one attempt, the attempt loop, retry policy and hints, failure → error
 *   config     env → typed settings
 *   providers  provider adapters: what is specific to each wire API
 *   tenancy    who a request is for and where it may go
 *   teams      the hosted team registry (D1)
 *   http       middleware, client auth, request bodies, headers, presentation, the log line
 *   routes     one handler per route
 *   admin      the admin API
 * src/app.ts and src/index.ts sit on top.
 */
const LAYERS = ['core', 'stream', 'upstream', 'config', 'providers', 'tenancy', 'teams', 'http', 'routes', 'admin'];

const upwards = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer}`,
  comment: `src/${layer}/ may import only from ${LAYERS.slice(0, index + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(index + 1).join('|')})/|^src/(app|index)\\.ts$` },
}));

module.exports = {
  forbidden: [
    ...upwards,
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-stands-alone',
      comment: 'the Worker imports nothing from tests, scripts or the simulator',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts|simulator)/' },
    },
    {
      name: 'openai-types-only',
      comment: 'the Worker takes API shapes from the openai package as types only: the SDK is never bundled',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: 'node_modules/openai/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'every import resolves (the runtime module cloudflare:workers aside)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^cloudflare:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages' subpath exports (hono/cookie, hono/html, ...) as the bundler does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
