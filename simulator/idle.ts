/**
 * Per-socket bookkeeping: socket ids, and the idle keep-alive cutoff.
 *
 * Each socket's idle timer starts when a response finishes on it and is cleared
 * when the next request starts. When it fires (idleCutoffMs later):
 *  - 'reset' / 'bad-request': nothing is sent; the socket is marked stale (the
 *    load balancer forgot it). Its next request is answered by the server with an
 *    RST or a bogus 400 — see `requestStarted`.
 *  - 'close': a clean FIN (socket.end()).
 * Timers are cleared when the socket closes; nothing outlives `destroyAll`.
 */
import type { Socket } from 'node:net';
import type { IdleMode } from './options';

export interface IdleSettings {
  cutoffMs: number | undefined;
  mode: IdleMode;
}

interface SocketState {
  id: number;
  timer: NodeJS.Timeout | undefined;
  stale: boolean;
}

export class ConnectionTracker {
  readonly #sockets = new Map<Socket, SocketState>();
  #nextId = 1;

  /**
   * @param settings read when a timer is armed and when it fires, so run-time option changes apply to later timers
   * @param onCutoff called each time a cutoff fires (for stats)
   */
  constructor(
    private readonly settings: () => IdleSettings,
    private readonly onCutoff: () => void,
  ) {}

  /** Starts tracking a new connection; ids are unique for the tracker's lifetime. */
  add(socket: Socket): void {
    this.#sockets.set(socket, { id: this.#nextId++, timer: undefined, stale: false });
    socket.once('close', () => {
      clearTimeout(this.#sockets.get(socket)?.timer);
      this.#sockets.delete(socket);
    });
  }

  idOf(socket: Socket): number {
    return this.#state(socket).id;
  }

  /** A request arrived: stops the idle timer and tells whether the socket had gone stale. */
  requestStarted(socket: Socket): 'fresh' | 'stale' {
    const state = this.#state(socket);
    clearTimeout(state.timer);
    state.timer = undefined;
    return state.stale ? 'stale' : 'fresh';
  }

  /** A response finished: arms the idle timer if a cutoff is configured. */
  responseFinished(socket: Socket): void {
    const state = this.#sockets.get(socket);
    const { cutoffMs } = this.settings();
    if (state === undefined || socket.destroyed || cutoffMs === undefined) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.#cutOff(socket, state), cutoffMs).unref();
  }

  /** Destroys every open socket (their 'close' handlers clear the timers). */
  destroyAll(): void {
    for (const socket of this.#sockets.keys()) socket.destroy();
  }

  #cutOff(socket: Socket, state: SocketState): void {
    state.timer = undefined;
    this.onCutoff();
    if (this.settings().mode === 'close') {
      socket.end();
    } else {
      state.stale = true;
      socket.setTimeout(0); // Node's own keep-alive timeout must not send a FIN for a connection the "LB" forgot
    }
  }

  #state(socket: Socket): SocketState {
    const state = this.#sockets.get(socket);
    if (state === undefined) throw new Error('request on an untracked socket');
    return state;
  }
}
