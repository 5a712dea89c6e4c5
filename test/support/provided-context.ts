/**
 * What the integration globalSetup (Node) hands to the tests inside workerd through vitest's
 * provide/inject, and to the pool options in vitest.config.ts. Types only: this file is
 * part of both the Node and the workerd typecheck (tsconfig.node.json and
 * test/integration/tsconfig.json) and must not import anything runtime-specific.
 */
export interface HarnessContext {
  /** The test upstream's origin, `http://127.0.0.1:PORT`, reachable from workerd. */
  upstreamUrl: string;
  /** `upstreamUrl + '/v1'`: what UPSTREAM_BASE_URL should be set to. */
  upstreamBaseUrl: string;
  /** A second, independent simulator (its own fault queue): a second provider for team routing and fallback tests. */
  secondUpstreamUrl: string;
}

declare module 'vitest' {
  // Interface merging: inject('upstreamUrl') is typed as string everywhere.
  export interface ProvidedContext extends HarnessContext {}
}
