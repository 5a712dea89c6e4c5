-- Recent request summaries for the operator view (README: Operator view): one row per request
-- that reached an API route, written in the background (waitUntil) from the request's log line
-- (src/http/log.ts) when the request is over. What the log line holds, no bodies, no keys: the
-- same redacted fields. A rolling window: the trigger below deletes, on each insert, the row that
-- fell out of the newest 50,000 (REQUEST_WINDOW in src/http/request-store.ts), so the table never
-- holds more than that.
-- Idempotent: in single-upstream mode, where no migration runs, the store runs this file itself
-- before its first use (src/http/request-store.ts), so every statement says IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL, -- when the request arrived, ms since the epoch
  request_id TEXT NOT NULL,
  team_id TEXT, -- null: single-upstream mode
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  model TEXT,
  stream INTEGER, -- 0/1, null when not known
  upstream_host TEXT,
  status INTEGER,
  outcome TEXT NOT NULL, -- ok | absorbed | failed | refused (turned away before any upstream attempt)
  error_code TEXT,
  error TEXT, -- clipped and redacted, as in the log line
  stream_end TEXT,
  attempts TEXT NOT NULL, -- JSON: [{target, outcome, status, ms}], as in the log line
  retries INTEGER NOT NULL,
  fallback INTEGER NOT NULL, -- 0/1: attempts went to more than one provider
  ttfb_ms INTEGER,
  total_ms INTEGER,
  input_tokens INTEGER,
  output_tokens INTEGER
);

CREATE INDEX IF NOT EXISTS requests_at ON requests (at);

CREATE TRIGGER IF NOT EXISTS requests_window AFTER INSERT ON requests
BEGIN
  DELETE FROM requests WHERE id <= NEW.id - 50000;
END;
