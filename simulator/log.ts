/**
 * The simulator's activity log: one concise line per request (when it ends) and one per fault it
 * injects (when it starts), for a person watching the CLI. Off unless a `log` function is given:
 * tests and the demo start the simulator quietly.
 */
import type { Fault } from './faults';
import { describeHostileFault } from './hostile-faults';
import type { IdleMode } from './options';
import type { Down } from './outage';

export type SimulatorLog = (line: string) => void;

/** What a fault does, in a few words. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'status':
      return `status ${fault.status}`;
    case 'reset':
      return 'reset (RST before the status line)';
    case 'hang':
      return 'hang (never answers)';
    case 'empty':
      return 'empty (200, no body)';
    case 'cut':
      return `cut after ${fault.afterEvents} event(s) (RST)`;
    case 'stall':
      return `stall after ${fault.afterEvents} event(s) (silence)`;
    case 'delay':
      return `delay ${fault.ms} ms`;
    default:
      return describeHostileFault(fault);
  }
}

/** What a request gets while the provider is down (an outage or a flapping provider's down period). */
export function describeDown(down: Down): string {
  return `${down.cause}: status ${down.status} (up again in ${(down.upInMs / 1000).toFixed(1)} s)`;
}

/** The fault a request on a connection past its idle cutoff gets. */
export function describeStale(mode: IdleMode, cutoffMs: number | undefined): string {
  const answer = mode === 'bad-request' ? 'a 400 HTML page, Connection: close' : 'RST before the status line';
  return `idle cutoff (connection idle over ${cutoffMs ?? 0} ms): ${answer}`;
}

function clock(now: Date): string {
  return now.toISOString().slice(11, 23);
}

/** `12:00:01.234 #3 POST /v1/responses ...`: the prefix of every line about one request. */
export function requestLabel(now: Date, socketId: number, method: string, path: string): string {
  return `${clock(now)} #${socketId} ${method} ${path}`;
}

/** How a response ended: its status, or that no status line was sent, and whether it was cut short. */
export function outcome(headersSent: boolean, status: number, finished: boolean): string {
  if (!headersSent) return 'no answer';
  return finished ? String(status) : `${status}, ended early`;
}
