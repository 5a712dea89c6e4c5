/**
 * What all the WebSocket connections of an isolate keep together for `previous_response_id`
 * (WEBSOCKET_SESSIONS_MAX_BYTES), counted in characters of their JSON text: one connection's cap
 * alone bounds nothing, since idle connections, each kept at its cap by one prewarm answered
 * without an upstream request, would hold more than an isolate's memory. Per isolate: a
 * module-level budget that every connection takes from and gives back to (responses-session.ts).
 */

/** What the connections take and give back. */
export class SessionBudget {
  readonly maxChars: number;
  #used = 0;

  constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  /** Takes `chars` more; false, taking nothing, when that would go over. */
  take(chars: number): boolean {
    if (this.#used + chars > this.maxChars) return false;
    this.#used += chars;
    return true;
  }

  release(chars: number): void {
    this.#used = Math.max(0, this.#used - chars);
  }
}

const budgets = new Map<number, SessionBudget>();

/** The isolate's budget for a given maximum (one deployment's settings: one). */
export function isolateBudget(maxChars: number): SessionBudget {
  let budget = budgets.get(maxChars);
  if (budget === undefined) {
    budget = new SessionBudget(maxChars);
    budgets.set(maxChars, budget);
  }
  return budget;
}
