import { describe, expect, it } from 'vitest';
import { boundHeapGrowth } from './heap-growth.js';

describe('boundHeapGrowth', () => {
  it.each([
    ['serve', true],
    ['replay', true],
    ['translate', false],
    ['dlq', false],
    ['forget', false],
    ['doctor', false],
    ['sandbox', false],
  ] as const)('%s: bounded %s', (command, bounded) => {
    expect(boundHeapGrowth(command)).toBe(bounded);
  });
});
