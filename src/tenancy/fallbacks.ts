/**
 * Pure: the `x-edge-fallbacks` header, which says which providers failed before the one that
 * answered (or last failed), in order: `primary=502, primary=timeout`. Only a request whose
 * attempts went to more than one provider has it; retries of a single upstream are not fallbacks.
 */
import type { AttemptRecord } from '../upstream/attempts';

export function fallbacksHeader(attempts: readonly AttemptRecord[]): string | null {
  if (new Set(attempts.map((attempt) => attempt.target)).size < 2) return null;
  return attempts
    .slice(0, -1)
    .map((attempt) => `${attempt.target}=${attempt.outcome === 'status' ? String(attempt.status) : attempt.outcome}`)
    .join(', ');
}
