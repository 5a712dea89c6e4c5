/** Query parameters of admin reads, checked. */
import { fieldError } from '../teams/fields';

/** A whole number from `min` to `max`; null when absent or empty (an empty form field). */
export function wholeParam(value: string | undefined, param: string, min: number, max: number): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw fieldError(param, `must be a whole number from ${min} to ${max}`);
  return n;
}
