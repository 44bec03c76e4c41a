/**
 * Finds the rule ids that code, tests, fixtures and docs cite, and checks them against the rule book:
 * nothing may cite an undefined id, every implemented rule is cited by a test or fixture, and a rule
 * still marked planned is cited by none (else its status is out of date).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RuleDefinition } from './rule-book.js';

/**
 * A rule id as cited: a family letter, optional upper-case groups, then a number, e.g. `I-5`, `D-11`,
 * `C-PG-1`, `C-RACE-2`. The word boundaries keep `UTF-8`, `SHA-1`, `ISO-8601` and `AES-256` out.
 */
export const RULE_ID_PATTERN = /\b[CDILM](?:-[A-Z]+)*-\d+\b/g;

/** One file to scan, named by its path from the repository root with `/` separators. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Every id cited, with the files citing it. A file cites what its name and its text mention. */
export type Citations = ReadonlyMap<string, readonly string[]>;

/** The ids a piece of text mentions, each once, in order of first mention. */
export function idsIn(text: string): string[] {
  return [...new Set(text.match(RULE_ID_PATTERN) ?? [])];
}

/** Collects who cites which id. Pure. */
export function collectCitations(files: readonly SourceFile[]): Citations {
  const citations = new Map<string, string[]>();
  for (const file of files) {
    for (const id of idsIn(`${file.path}\n${file.text}`)) {
      const citing = citations.get(id) ?? [];
      citing.push(file.path);
      citations.set(id, citing);
    }
  }
  return citations;
}

/** A test, a file of shared test code, or a fixture: what shows that a rule is carried out. */
export function isTestEvidence(path: string): boolean {
  return path.endsWith('.test.ts') || path.startsWith('test/') || path.includes('/fixtures/');
}

/** What the check found. Only `uncited` is information; the other lists are failures. */
export interface CitationReport {
  /** Ids cited somewhere but defined nowhere, with the files that cite them. */
  readonly undefinedIds: readonly { readonly id: string; readonly files: readonly string[] }[];
  /** Implemented rules that no test or fixture cites. */
  readonly untested: readonly string[];
  /** Rules marked planned that a test or fixture already cites: mark them implemented. */
  readonly citedWhilePlanned: readonly { readonly id: string; readonly files: readonly string[] }[];
  /** Planned or partial rules no test or fixture cites (allowed; listed so it stays visible). */
  readonly uncited: readonly RuleDefinition[];
}

/** Compares the rule book with the citations. Pure. */
export function checkCitations(rules: readonly RuleDefinition[], citations: Citations): CitationReport {
  const defined = new Set(rules.map((r) => r.id));
  const testFiles = (id: string): string[] => (citations.get(id) ?? []).filter(isTestEvidence);
  const undefinedIds = [...citations]
    .filter(([id]) => !defined.has(id))
    .map(([id, files]) => ({ id, files }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    undefinedIds,
    untested: rules
      .filter((r) => r.status === 'implemented' && testFiles(r.id).length === 0)
      .map((r) => r.id),
    citedWhilePlanned: rules
      .filter((r) => r.status === 'planned' && testFiles(r.id).length > 0)
      .map((r) => ({ id: r.id, files: testFiles(r.id) })),
    uncited: rules.filter((r) => r.status !== 'implemented' && testFiles(r.id).length === 0),
  };
}

/** Folders and files, from the repository root, whose text is read for citations. */
export const SCANNED_ROOTS: readonly string[] = [
  'src',
  'test',
  'bench',
  'docs',
  'scripts',
  'examples',
  'README.md',
];

/**
 * Not scanned: Intercom's own OpenAPI document (its text is Intercom's, not ours) and this checker's
 * files, whose tables hold made-up ids on purpose.
 */
export const UNSCANNED: readonly string[] = [
  'src/sandbox/openapi/',
  'test/rule-book.ts',
  'test/rule-citations.ts',
  'test/rule-ids.test.ts',
];

function isSkipped(path: string): boolean {
  return UNSCANNED.some((skip) => (skip.endsWith('/') ? path.startsWith(skip) : path === skip));
}

/** Reads every text file under the scanned roots of `rootDir` (binary files are left out). */
export function readScannedFiles(rootDir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const visit = (absolute: string, isDirectory: boolean): void => {
    const path = relative(rootDir, absolute).split(sep).join('/');
    if (isSkipped(path) || path.split('/').includes('node_modules')) return;
    if (isDirectory) {
      for (const entry of readdirSync(absolute, { withFileTypes: true })) {
        visit(join(absolute, entry.name), entry.isDirectory());
      }
      return;
    }
    const text = readFileSync(absolute, 'utf8');
    if (!text.includes('\u0000')) files.push({ path, text });
  };
  for (const root of SCANNED_ROOTS) {
    const absolute = join(rootDir, root);
    if (existsSync(absolute)) visit(absolute, statSync(absolute).isDirectory());
  }
  return files;
}
