/** Where an attempt can go: one provider, and how requests to it are authorised. */

/** How the upstream request is authorised. */
export type UpstreamAuth =
  | { readonly kind: 'client' } // pass the client's own Authorization through
  | { readonly kind: 'key'; readonly key: string }; // the gateway's key replaces the client's

export interface Target {
  readonly name: string;
  /** Whose health (breaker, retry budget) this target shares: one per provider (base URL, or team provider). */
  readonly healthKey: string;
  readonly baseUrl: URL;
  readonly auth: UpstreamAuth;
}
