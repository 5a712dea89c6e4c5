-- Request limits (docs/teams.md, "Limits"): requests per minute and requests in flight at once.
-- A team's NULL takes the deployment's default (TEAM_DEFAULT_RPM, TEAM_DEFAULT_MAX_STREAMS; unset:
-- unlimited); a key's NULL means the key has no limit of its own (its team's still apply).

ALTER TABLE teams ADD COLUMN rpm INTEGER;
ALTER TABLE teams ADD COLUMN max_streams INTEGER;
ALTER TABLE api_keys ADD COLUMN rpm INTEGER;
ALTER TABLE api_keys ADD COLUMN max_streams INTEGER;
