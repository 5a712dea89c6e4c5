/**
 * What simulator/hostile-faults.ts says of a hostile fault: a few words for the log line.
 */
import { describe, expect, it } from 'vitest';
import { describeHostileFault } from '../../../simulator/hostile-faults';

describe('describeHostileFault', () => {
  it('says what each kind does in a few words, without the echoed value', () => {
    expect(describeHostileFault({ kind: 'echo-key', where: 'stream-event', value: 'sk-secret' })).toBe('echo-key in stream-event (200)');
    expect(describeHostileFault({ kind: 'gzip-bomb', expandedBytes: 1024 })).toBe('gzip-bomb expanding to 1024 bytes (200)');
    expect(describeHostileFault({ kind: 'huge', status: 500, bytes: 10, shape: 'raw' })).toBe('huge raw of 10 bytes (500)');
    expect(describeHostileFault({ kind: 'trickle', shape: 'sse' })).toBe('trickle sse at 1 byte(s)/s (200)');
    expect(describeHostileFault({ kind: 'redirect', status: 308, location: '/x' })).toBe('redirect 308 to /x');
  });
});
