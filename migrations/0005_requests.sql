-- Recent request summaries for the operator view (README: Operator view): one row per request
-- that reached an API route, written in the background (waitUntil) from the request's log line
-- (src/http/log.ts) when the request is over. What the log line holds, no bodies, no keys: the
-- same redacted fields. A rolling window: the trigger below deletes, on each insert, the row that
-- fell out of the newest 50,000 (REQUEST_WINDOW in src/http/request-store.ts), so the table never
-- holds more than that.

CREATE TABLE requests (
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

CREATE INDEX requests_at ON requests (at);

CREATE TRIGGER requests_window AFTER INSERT ON requests
BEGIN
  DELETE FROM requests WHERE id <= NEW.id - 50000;
END;
