/**
 * Reads the rule book, `docs/behavior.md`: the one place rule ids are defined. A rule is a line that
 * starts (after an optional list marker) with its id in bold; it may carry one `Status:` note before
 * the next rule or heading. No note means the rule is implemented.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the rule book lives, from the repository root. */
export const RULE_BOOK_PATH = 'docs/behavior.md';

/** How far the product carries a rule out. */
export type RuleStatus = 'implemented' | 'partial' | 'planned';

/** One rule as the rule book defines it. */
export interface RuleDefinition {
  readonly id: string;
  readonly status: RuleStatus;
  /** The issue that finishes a partial or planned rule. */
  readonly issue?: number;
  /** 1-based line of the definition, for messages. */
  readonly line: number;
}

/** The rules, and anything in the book's shape that the check must not let pass. */
export interface RuleBook {
  readonly rules: readonly RuleDefinition[];
  readonly problems: readonly string[];
}

/** A definition line: optional list marker, then the id in bold. */
const DEFINITION = /^\s*(?:[-*+]\s+)?\*\*([CDILM](?:-[A-Z]+)*-\d+)\*\*/;
const HEADING = /^#{1,6}\s/;
/** `Status: planned (#14)`, `Status: partial (#14)`, `Status: implemented`, each with what follows. */
const STATUS = /Status:\s*([a-z]+)(?:\s*\(#(\d+)\))?/g;
const STATUSES: ReadonlySet<string> = new Set(['implemented', 'partial', 'planned']);

interface Block {
  readonly id: string;
  readonly line: number;
  readonly text: string[];
}

/** Splits the book into one block per rule: its definition line up to the next rule or heading. */
function ruleBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  markdown.split('\n').forEach((text, index) => {
    const id = DEFINITION.exec(text)?.[1];
    if (id !== undefined) {
      current = { id, line: index + 1, text: [text] };
      blocks.push(current);
    } else if (HEADING.test(text)) {
      current = undefined;
    } else {
      current?.text.push(text);
    }
  });
  return blocks;
}

/** The status a block declares, or a problem when it declares it wrongly. */
function statusOf(block: Block): { status: RuleStatus; issue?: number } | { problem: string } {
  const found = [...block.text.join('\n').matchAll(STATUS)];
  const where = `${block.id} (line ${block.line})`;
  if (found.length === 0) return { status: 'implemented' };
  if (found.length > 1) return { problem: `${where} has ${found.length} Status notes; give it one` };
  const [, word = '', issue] = found[0] ?? [];
  if (!STATUSES.has(word)) return { problem: `${where}: unknown status "${word}"` };
  const status = word as RuleStatus;
  if (status !== 'implemented' && issue === undefined) {
    return { problem: `${where} is ${status} but names no issue, e.g. "Status: ${status} (#14)"` };
  }
  return issue === undefined ? { status } : { status, issue: Number(issue) };
}

/** Parses the rule book's text. Pure. */
export function parseRuleBook(markdown: string): RuleBook {
  const rules: RuleDefinition[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const block of ruleBlocks(markdown)) {
    const first = seen.get(block.id);
    if (first !== undefined) {
      problems.push(`${block.id} is defined twice (lines ${first} and ${block.line})`);
      continue;
    }
    seen.set(block.id, block.line);
    const status = statusOf(block);
    if ('problem' in status) problems.push(status.problem);
    else rules.push({ id: block.id, line: block.line, ...status });
  }
  return { rules, problems };
}

/** Reads and parses `docs/behavior.md` of this repository. */
export function readRuleBook(): RuleBook {
  return parseRuleBook(readFileSync(fileURLToPath(new URL(`../${RULE_BOOK_PATH}`, import.meta.url)), 'utf8'));
}
