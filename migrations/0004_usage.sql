-- Usage totals per team and UTC day (docs/teams.md, "Usage"): one row per team and day, added to
-- in the background after each relayed request of a team key, never on the request's path:
-- INSERT ... ON CONFLICT (team_id, day) DO UPDATE SET x = x + excluded.x.

CREATE TABLE usage_daily (
  team_id TEXT NOT NULL REFERENCES teams (id),
  day TEXT NOT NULL, -- YYYY-MM-DD, the UTC day the request arrived
  requests INTEGER NOT NULL DEFAULT 0, -- relayed requests (admitted under the limits, sent upstream)
  failed INTEGER NOT NULL DEFAULT 0, -- of those, the client saw a failure (an error answer, a stream that ended in one)
  absorbed INTEGER NOT NULL DEFAULT 0, -- of those, succeeded after failed attempts the client never saw
  absorbed_transport INTEGER NOT NULL DEFAULT 0, -- the failed attempts of those, by kind: reset / unreachable
  absorbed_5xx INTEGER NOT NULL DEFAULT 0,
  absorbed_429 INTEGER NOT NULL DEFAULT 0,
  absorbed_timeout INTEGER NOT NULL DEFAULT 0,
  absorbed_empty INTEGER NOT NULL DEFAULT 0,
  absorbed_other INTEGER NOT NULL DEFAULT 0, -- a stale-connection 400/404, a 408, ...
  retries INTEGER NOT NULL DEFAULT 0, -- upstream attempts beyond the first
  fallbacks INTEGER NOT NULL DEFAULT 0, -- requests whose attempts went to more than one provider
  metered INTEGER NOT NULL DEFAULT 0, -- requests whose answer reported token usage
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0, -- of the input tokens, served from the provider's cache
  reasoning_tokens INTEGER NOT NULL DEFAULT 0, -- of the output tokens, spent on reasoning
  PRIMARY KEY (team_id, day)
);
