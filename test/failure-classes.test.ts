/**
 * L-1 is one table: the delivery policy's `FAILURE_CLASSES` and the table under L-1 in
 * docs/behavior.md must say the same, row for row, so the rule book never describes decisions the
 * code does not make.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAILURE_CLASSES } from '../src/delivery/worker/policy.js';

/** The rows of the first Markdown table after the line that defines `ruleId`. */
function tableAfter(markdown: string, ruleId: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`- **${ruleId}**`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    rows.push(
      trimmed
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2); // header and separator
}

describe('the L-1 failure classes', () => {
  it('L-1 docs/behavior.md shows the policy’s table: same classes, in order, with the same cover and decision', () => {
    const rows = tableAfter(readFileSync('docs/behavior.md', 'utf8'), 'L-1');
    const fromCode = Object.entries(FAILURE_CLASSES).map(([name, row]) => [
      name.replaceAll('_', ' '),
      row.covers,
      row.decision,
    ]);
    expect(rows).toEqual(fromCode);
  });
});
