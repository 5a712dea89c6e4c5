/** Fake timers for each test of the file that calls it, the clock starting at 0; real ones again after. */
import { afterEach, beforeEach, vi } from 'vitest';

export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
