/**
 * Rewrites the golden chat requests of the recorded Codex requests (test/fixtures/codex/): run
 * `npx tsx test/support/chat-golden.ts` after a deliberate change of the translation, and review
 * the diff. test/unit/providers/chat/golden.test.ts compares against these files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CHAT_CAPABILITIES } from '../../src/config/chat-capabilities';
import { translateRequest } from '../../src/providers/chat/request';

const dir = fileURLToPath(new URL('../fixtures/codex/', import.meta.url));
for (const file of readdirSync(dir).filter((name) => /^request-.*\.json$/.test(name) && !name.endsWith('.chat.json'))) {
  const document = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  const { body, dropped, notes } = translateRequest(document, null, DEFAULT_CHAT_CAPABILITIES);
  const golden = join(dir, file.replace(/\.json$/, '.chat.json'));
  writeFileSync(golden, `${JSON.stringify({ dropped, notes, body }, null, 2)}\n`);
  console.log(`${file} → ${golden}`);
}
