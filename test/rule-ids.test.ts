/**
 * The rule book (`docs/behavior.md`) against the repository: every cited rule id is defined there,
 * every implemented rule is cited by a test or fixture, and no rule marked planned is (its status
 * would be stale). The parser and the scanner are tested first on small tables.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRuleBook, readRuleBook, RULE_BOOK_PATH, type RuleDefinition } from './rule-book.js';
import {
  checkCitations,
  collectCitations,
  idsIn,
  isTestEvidence,
  readScannedFiles,
  type SourceFile,
} from './rule-citations.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('rule id pattern', () => {
  it.each([
    ['cloud ids with one or two groups', 'see C-ID-10 and C-IDN-2', ['C-ID-10', 'C-IDN-2']],
    [
      'ids of every family',
      'C-RACE-2, C-PG-1, I-5, D-11, L-3, M-ID-4',
      ['C-RACE-2', 'C-PG-1', 'I-5', 'D-11', 'L-3', 'M-ID-4'],
    ],
    ['a fixture name', 'C-ID-3-created-at-iso-string.json', ['C-ID-3']],
    ['ranges', 'I-1…I-7 and C-TR-2..5', ['I-1', 'I-7', 'C-TR-2']],
    ['each id once', 'D-3 boots; D-3 again', ['D-3']],
    ['encodings and digests', 'UTF-8, UTF-16, SHA-1, AES-256, HMAC-SHA256', []],
    ['dates and headers', 'ISO-8601, X-RateLimit-Reset, Intercom-Version', []],
    ['lower case, no number, a letter after the number', 'c-id-1, C-ID-*, C-IDN, D-11a', []],
  ])('%s', (_name, text, expected) => {
    expect(idsIn(text)).toEqual(expected);
  });
});

describe('rule book parser', () => {
  it('reads bold ids at the start of a line, with or without a list marker', () => {
    const book = parseRuleBook(['# Rules', '- **C-ID-1** email.', '**I-5** 200 means stored.'].join('\n'));
    expect(book.rules).toEqual([
      { id: 'C-ID-1', status: 'implemented', line: 2 },
      { id: 'I-5', status: 'implemented', line: 3 },
    ]);
    expect(book.problems).toEqual([]);
  });

  it('reads a status note on the rule line or the lines after it, up to the next heading', () => {
    const book = parseRuleBook(
      [
        '- **L-1** classes.',
        '  Status: planned (#14).',
        '- **L-3** dead letters. Status: partial (#14): redrive goes to the tail.',
        '- **C-GR-1** companies. Status: implemented; amendment planned (#18).',
        '## Next',
        'Status: planned (#99) belongs to no rule.',
      ].join('\n'),
    );
    expect(book.rules).toEqual([
      { id: 'L-1', status: 'planned', issue: 14, line: 1 },
      { id: 'L-3', status: 'partial', issue: 14, line: 3 },
      { id: 'C-GR-1', status: 'implemented', line: 4 },
    ]);
    expect(book.problems).toEqual([]);
  });

  it('does not take an id cited inside a sentence for a definition', () => {
    expect(parseRuleBook('As C-IDN-2 says, and **C-IDN-3** too.').rules).toEqual([]);
  });

  it.each([
    ['a duplicate id', '- **D-1** a\n- **D-1** b', 'D-1 is defined twice (lines 1 and 2)'],
    ['an unknown status', '- **D-2** x. Status: someday (#3)', 'D-2 (line 1): unknown status "someday"'],
    [
      'a planned rule without its issue',
      '- **I-7** x. Status: planned',
      'I-7 (line 1) is planned but names no issue',
    ],
    [
      'two status notes',
      '- **L-2** x. Status: planned (#14)\nStatus: partial (#14)',
      'L-2 (line 1) has 2 Status notes',
    ],
  ])('reports %s', (_name, markdown, problem) => {
    expect(parseRuleBook(markdown).problems.join('\n')).toContain(problem);
  });
});

describe('citation check', () => {
  const rules: RuleDefinition[] = [
    { id: 'C-ID-1', status: 'implemented', line: 1 },
    { id: 'C-ID-2', status: 'implemented', line: 2 },
    { id: 'L-1', status: 'planned', issue: 14, line: 3 },
    { id: 'L-3', status: 'partial', issue: 14, line: 4 },
    { id: 'I-7', status: 'planned', issue: 18, line: 5 },
  ];
  const files: SourceFile[] = [
    { path: 'src/mapping/fixtures/identify/C-ID-1-email.json', text: '{}' },
    { path: 'src/mapping/identify.ts', text: '// C-ID-2 and C-ID-99' },
    { path: 'test/e2e/lifecycle.e2e.test.ts', text: "it('L-1 classes a 500 as transient')" },
    { path: 'README.md', text: 'I-7 arrives later' },
  ];
  const report = checkCitations(rules, collectCitations(files));

  it('names each undefined id with the files citing it', () => {
    expect(report.undefinedIds).toEqual([{ id: 'C-ID-99', files: ['src/mapping/identify.ts'] }]);
  });

  it('fails an implemented rule that only source code cites', () => {
    expect(report.untested).toEqual(['C-ID-2']);
  });

  it('fails a planned rule that a test already cites', () => {
    expect(report.citedWhilePlanned).toEqual([{ id: 'L-1', files: ['test/e2e/lifecycle.e2e.test.ts'] }]);
  });

  it('lists planned and partial rules that no test cites, however much docs mention them', () => {
    expect(report.uncited.map((r) => r.id)).toEqual(['L-3', 'I-7']);
  });

  it.each([
    ['src/intercom/executor.test.ts', true],
    ['test/delivery-store-contract.ts', true],
    ['src/browser/fixtures/D-3-page.json', true],
    ['src/intercom/executor.ts', false],
    ['bench/drain.ts', false],
    ['docs/architecture.md', false],
  ])('counts %s as test evidence: %s', (path, expected) => {
    expect(isTestEvidence(path)).toBe(expected);
  });
});

describe(`${RULE_BOOK_PATH} and this repository`, () => {
  const book = readRuleBook();
  const report = checkCitations(book.rules, collectCitations(readScannedFiles(ROOT_DIR)));

  it('is well formed and defines the rules of every family', () => {
    expect(book.problems).toEqual([]);
    for (const family of ['C-', 'D-', 'I-', 'L-']) {
      expect(
        book.rules.some((r) => r.id.startsWith(family)),
        family,
      ).toBe(true);
    }
  });

  it('defines every rule id that code, tests, fixtures, benchmarks and docs cite', () => {
    const lines = report.undefinedIds.map(
      ({ id, files }) => `${id} is not defined, cited in ${files.join(', ')}`,
    );
    expect(lines).toEqual([]);
  });

  it('has a test or fixture citing every implemented rule, and lists the others no test cites yet', () => {
    const listed = report.uncited.map((r) => `${r.id} (${r.status}, #${r.issue ?? '?'})`);
    console.info(`rules no test or fixture cites yet: ${listed.join(', ') || 'none'}`);
    expect(report.untested.map((id) => `${id} is implemented but no test or fixture cites it`)).toEqual([]);
  });

  it('marks implemented the rules that tests already cite', () => {
    const lines = report.citedWhilePlanned.map(
      ({ id, files }) => `${id} is marked planned but ${files.join(', ')} cite it: mark it implemented`,
    );
    expect(lines).toEqual([]);
  });
});
