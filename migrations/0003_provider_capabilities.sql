-- Per-provider capabilities of Chat Completions providers (README: Providers): a JSON object of the
-- switches that differ from the defaults, e.g. {"developer_role": true, "reasoning_effort": ["low", "high"]}.
-- NULL: the defaults, which work on the strictest providers. Read only for wire_api = 'chat'.
ALTER TABLE providers ADD COLUMN capabilities TEXT;
