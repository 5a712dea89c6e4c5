/**
 * The reads of an upstream body as a relay sees them: the next chunk, its end, or what is due
 * first (a heartbeat, the idle cap, a read that failed, each with its cause). A read that a
 * deadline overtook stays under way for the next call, so no byte is lost.
 */
import type { ChunkReader } from './chunk-reader';
import type { RelayClock } from './clock';

export type Pulled =
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array }
  | { readonly kind: 'done' }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'end'; readonly end: 'idle' | 'upstream-broke'; readonly cause: string };

export class PacedReads {
  readonly #reader: ChunkReader;
  readonly #clock: RelayClock;
  readonly #idleMs: number;
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | null;

  constructor(reader: ChunkReader, pending: Promise<ReadableStreamReadResult<Uint8Array>> | null, clock: RelayClock, idleMs: number) {
    this.#reader = reader;
    this.#pending = pending;
    this.#clock = clock;
    this.#idleMs = idleMs;
  }

  async next(): Promise<Pulled> {
    if (this.#pending === null) {
      this.#pending = this.#reader.read();
      this.#pending.catch(() => undefined);
    }
    try {
      const raced = await this.#clock.race(this.#pending);
      if (raced.kind === 'heartbeat') return raced;
      if (raced.kind === 'idle') return { kind: 'end', end: 'idle', cause: `the upstream sent nothing for ${this.#idleMs} ms` };
      this.#pending = null;
      return raced.result.done ? { kind: 'done' } : { kind: 'chunk', bytes: raced.result.value };
    } catch (err) {
      return { kind: 'end', end: 'upstream-broke', cause: `the upstream stream broke (${err instanceof Error ? err.message : String(err)})` };
    }
  }
}
