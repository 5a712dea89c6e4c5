import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../src/upstream/retry-budget';

const POLICY = { ratio: 0.2, minRetries: 5, windowMs: 10_000 };

describe('RetryBudget', () => {
  it('a quiet gateway still has the floor of retries', () => {
    const budget = new RetryBudget(POLICY);
    const taken = Array.from({ length: 8 }, () => budget.tryRetry(1_000)).filter(Boolean).length;
    expect(taken).toBe(5);
  });

  it('under load, retries stay within 20 % of first attempts in the window', () => {
    const budget = new RetryBudget(POLICY);
    for (let i = 0; i < 100; i += 1) budget.first(1_000);
    const taken = Array.from({ length: 50 }, () => budget.tryRetry(1_500)).filter(Boolean).length;
    expect(taken).toBe(20);
    expect(budget.used(1_500)).toBe(20);
  });

  it.each([
    ['within the window the budget stays spent', 10_999, false],
    ['once the window has passed it is whole again', 11_000, true],
  ])('%s', (_name, later, expected) => {
    const budget = new RetryBudget(POLICY);
    for (let i = 0; i < 5; i += 1) budget.tryRetry(1_000);
    expect(budget.tryRetry(later)).toBe(expected);
  });

  it('first attempts older than the window no longer earn retries', () => {
    const budget = new RetryBudget(POLICY);
    for (let i = 0; i < 100; i += 1) budget.first(0);
    expect(budget.allowed(5_000)).toBe(20);
    expect(budget.allowed(10_000)).toBe(5);
  });
});
