import { describe, expect, it } from 'vitest';
import { errorText } from '../../../../../src/admin/ui/views/requests';

describe('errorText: the Error cell of a request', () => {
  it.each([
    ['nothing', null, null, 'terminal', ''],
    ['a stream the upstream failed', 'context_length_exceeded', 'too long', 'terminal', 'context_length_exceeded too long'],
    ['a message alone', null, 'boom', null, 'boom'],
    ['a stream the gateway ended', 'server_error', 'stalled', 'idle', 'server_error stalled (stream: idle)'],
    ['a long message, cut', null, 'x'.repeat(500), null, `${'x'.repeat(200)}…`],
  ] as const)('%s', (_name, errorCode, error, streamEnd, expected) => {
    expect(errorText({ errorCode, error, streamEnd })).toBe(expected);
  });
});
