import { describe, expect, it } from 'vitest';
import { NO_FAULTS, checkFaults, chooseFault, mergeFaults } from './faults.js';

/** A random source that returns the given numbers in order. */
function scripted(...values: number[]): () => number {
  return () => {
    const v = values.shift();
    if (v === undefined) throw new RangeError('random called more often than scripted');
    return v;
  };
}

describe('chooseFault', () => {
  it.each([
    { name: 'no faults draws nothing', faults: NO_FAULTS, random: scripted(), kind: 'none' },
    {
      name: 'drop when the first draw is under dropRate',
      faults: { ...NO_FAULTS, dropRate: 0.5 },
      random: scripted(0.4),
      kind: 'drop',
    },
    {
      name: 'no drop when the draw is at dropRate',
      faults: { ...NO_FAULTS, dropRate: 0.5 },
      random: scripted(0.5),
      kind: 'none',
    },
    {
      name: 'error when the draw is under errorRate',
      faults: { ...NO_FAULTS, errorRate: 0.2, errorStatus: 503 },
      random: scripted(0.1),
      kind: 'error',
    },
    {
      name: 'drop is drawn before error',
      faults: { ...NO_FAULTS, dropRate: 0.1, errorRate: 1 },
      random: scripted(0.9, 0.5),
      kind: 'error',
    },
    {
      name: 'always error at rate 1',
      faults: { ...NO_FAULTS, errorRate: 1 },
      random: scripted(0.999),
      kind: 'error',
    },
  ])('$name', ({ faults, random, kind }) => {
    expect(chooseFault(faults, random).kind).toBe(kind);
  });

  it('an error carries the configured status', () => {
    expect(chooseFault({ ...NO_FAULTS, errorRate: 1, errorStatus: 502 }, () => 0)).toEqual({
      kind: 'error',
      status: 502,
    });
  });
});

describe('checkFaults', () => {
  it.each([
    [{}, 0],
    [{ errorRate: 0.5, errorStatus: 503, latencyMs: 20, dropRate: 0 }, 0],
    [{ errorRate: 1.5 }, 1],
    [{ dropRate: -0.1 }, 1],
    [{ errorStatus: 200 }, 1],
    [{ latencyMs: -1 }, 1],
    [{ errorRate: '0.5' }, 1],
    [{ jitter: 1 }, 1],
  ])('%j has %i problem(s)', (input, count) => {
    expect(checkFaults(input)).toHaveLength(count);
  });
});

describe('mergeFaults', () => {
  it('changes only the given faults', () => {
    expect(mergeFaults({ ...NO_FAULTS, latencyMs: 5 }, { errorRate: 0.3 })).toEqual({
      ...NO_FAULTS,
      latencyMs: 5,
      errorRate: 0.3,
    });
  });
});
