/**
 * The documents a newcomer reads name files and folders of this repository; each one must exist, so
 * that a move or a rename cannot leave the README or docs/ pointing at nothing. A name with a pattern
 * (`*`, `<rule-id>`) must match at least one file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOCUMENTS = [
  'README.md',
  'bench/RESULTS.md',
  'src/sandbox/README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Repository paths named in a text: starting with a top folder, not part of a URL. */
export function namedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(
    /(?<![\w/.:-])((?:src|test|bench|scripts|docs|bin)\/(?:[\w.*/-]|<[^>\n]*>)*)/g,
  )) {
    const named = (match[1] ?? '').replace(/[.,:;]+$/, '');
    if (named !== '') found.add(named);
  }
  return [...found];
}

/** Whether `named` (maybe with `*` or `<…>` placeholders) names something in the repository. */
function exists(named: string): boolean {
  if (!/[*<]/.test(named)) return existsSync(path.join(ROOT, named));
  const folder = named.slice(0, named.lastIndexOf('/', named.search(/[*<]/)));
  const pattern = new RegExp(
    `^${named
      .split(/(\*|<[^>]*>)/)
      .map((part) =>
        part === '*' || part.startsWith('<') ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}`,
  );
  const absolute = path.join(ROOT, folder);
  if (!existsSync(absolute)) return false;
  const files = readdirSync(absolute, { recursive: true, encoding: 'utf8' }).map(
    (file) => `${folder}/${file}`,
  );
  return files.some((file) => pattern.test(file));
}

describe('paths the documents name', () => {
  it('finds repository paths but not URL paths', () => {
    expect(
      namedPaths(
        'see `src/cli/config.ts`, src/delivery/store/ and https://developers.intercom.com/docs/references/2.0/changelog, or test/delivery-*.ts.',
      ),
    ).toEqual(['src/cli/config.ts', 'src/delivery/store/', 'test/delivery-*.ts']);
  });

  it.each(DOCUMENTS)('every path %s names exists', (document) => {
    const missing = namedPaths(readFileSync(path.join(ROOT, document), 'utf8')).filter(
      (named) => !exists(named),
    );
    expect(missing).toEqual([]);
  });
});
