import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

const options = { baseMs: 1_000, capMs: 60_000 };

describe('backoffMs (exponential, full jitter)', () => {
  const cases: ReadonlyArray<{ name: string; attempt: number; random: number; expected: number }> = [
    { name: 'first retry, top of the range', attempt: 1, random: 0.999, expected: 999 },
    { name: 'first retry, bottom of the range', attempt: 1, random: 0, expected: 0 },
    { name: 'ceiling doubles per attempt', attempt: 3, random: 0.5, expected: 2_000 },
    { name: 'ceiling stops at the cap', attempt: 10, random: 0.5, expected: 30_000 },
    { name: 'huge attempt numbers stay finite', attempt: 5_000, random: 0.5, expected: 30_000 },
    { name: 'attempt 0 is treated as the first', attempt: 0, random: 0.5, expected: 500 },
    { name: 'a random above 1 is clamped', attempt: 1, random: 7, expected: 1_000 },
    { name: 'a negative random is clamped', attempt: 2, random: -1, expected: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(backoffMs(c.attempt, () => c.random, options)).toBe(c.expected);
    });
  }

  it('a floor keeps retries apart and stays under the ceiling', () => {
    expect(backoffMs(1, () => 0, { ...options, minMs: 400 })).toBe(400);
    expect(backoffMs(1, () => 0.5, { ...options, minMs: 400 })).toBe(700);
    expect(backoffMs(1, () => 0, { ...options, minMs: 5_000 })).toBe(1_000);
  });

  it('never exceeds the ceiling for any draw', () => {
    for (let attempt = 1; attempt < 30; attempt += 1) {
      const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (attempt - 1));
      expect(backoffMs(attempt, () => 0.999999, options)).toBeLessThan(ceiling);
    }
  });
});
