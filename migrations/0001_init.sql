-- codex-edge team registry: teams, their API keys, providers and model routes, and the admin audit log.
-- Times are ISO 8601 UTC strings (they sort as text). Secrets are never stored in the clear:
-- api_keys keeps a SHA-256 of each key, providers an AES-GCM ciphertext of the upstream key.

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  max_attempts INTEGER,
  retry_budget_ms INTEGER,
  headers_timeout_ms INTEGER,
  stream_idle_timeout_ms INTEGER,
  allowed_models TEXT, -- JSON array of names or patterns; NULL: every routed model
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id),
  name TEXT,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE, -- hex SHA-256 of the whole key
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
);
CREATE INDEX api_keys_team ON api_keys (team_id);

CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id),
  name TEXT NOT NULL,
  base_url TEXT NOT NULL,
  wire_api TEXT NOT NULL CHECK (wire_api IN ('responses', 'chat')),
  auth TEXT NOT NULL CHECK (auth IN ('key', 'client')),
  key_ciphertext TEXT, -- v1.<iv>.<ciphertext>, bound to team and provider id; NULL when auth = 'client'
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (team_id, name),
  CHECK ((auth = 'key') = (key_ciphertext IS NOT NULL))
);

CREATE TABLE routes (
  team_id TEXT NOT NULL REFERENCES teams (id),
  position INTEGER NOT NULL,
  model TEXT NOT NULL, -- exact name or pattern with *
  aliases TEXT NOT NULL DEFAULT '[]', -- JSON array of exact names
  targets TEXT NOT NULL, -- JSON array of {"provider": name, "model": name or null}, in fallback order
  PRIMARY KEY (team_id, position)
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  request_id TEXT NOT NULL,
  action TEXT NOT NULL, -- team.create, key.revoke, provider.update, routes.set, ...
  team_id TEXT,
  subject TEXT, -- the key, provider or team the action was on
  details TEXT NOT NULL DEFAULT '{}' -- JSON; field names and non-secret values only
);
CREATE INDEX audit_log_team ON audit_log (team_id, id);
