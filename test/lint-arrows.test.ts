import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The arrows of eslint.config.js, checked by linting small in-memory files placed in each room: the
// real configuration, with type information off (the imports rule needs none) and that rule alone.

const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
});

/** The import errors of a file at `filePath` that imports `specifier`. */
async function importErrors(filePath: string, specifier: string): Promise<string[]> {
  const code = `import { value } from '${specifier}';\nexport const copy = value;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const refused: readonly (readonly [file: string, specifier: string])[] = [
  ['src/delivery/worker/probe.ts', '../store/sqlite/sqlite-store.js'],
  ['src/delivery/worker/probe.ts', '../../delivery/store/postgres/postgres-store.js'],
  ['src/delivery/store/postgres/probe.ts', '../../store/sqlite/sqlite-store.js'],
  ['src/delivery/store/sql/probe.ts', '../sqlite/dialect.js'],
  ['src/delivery/store/probe.ts', '../worker/policy.js'],
  ['src/delivery/metrics/probe.ts', '../store/postgres/postgres-store.js'],
  ['src/server/probe.ts', '../delivery/store/sqlite/sqlite-store.js'],
  ['src/server/probe.ts', '../delivery/worker/worker.js'],
  ['src/server/probe.ts', '../mapping/map-event.js'],
  ['src/mapping/probe.ts', '../intercom/client.js'],
  ['src/intercom/probe.ts', '../delivery/store/job-store.js'],
  ['src/sandbox/probe.ts', '../segment/event.js'],
  ['src/delivery/worker/probe.test.ts', '../store/sqlite/sqlite-store.js'],
  ['test/security/probe.test.ts', '../../src/delivery/store/postgres/postgres-store.js'],
  ['bench/probe.ts', '../src/delivery/store/sqlite/sqlite-store.js'],
  ['src/console/probe.ts', '../delivery/store/sqlite/sqlite-store.js'],
  ['src/console/probe.ts', '../server/app.js'],
  ['src/console/probe.ts', '../cli/config.js'],
  ['src/server/probe.ts', '../console/console-plugin.js'],
];

const accepted: readonly (readonly [file: string, specifier: string])[] = [
  ['src/delivery/worker/probe.ts', '../store/lane-claims.js'],
  ['src/delivery/store/sqlite/probe.ts', '../sql/claim-query.js'],
  ['src/delivery/store/postgres/probe.ts', '../job-store.js'],
  ['src/delivery/intake/probe.ts', '../../mapping/map-event.js'],
  ['src/server/probe.ts', '../delivery/store/enqueue.js'],
  ['src/server/probe.ts', '../delivery/worker/health.js'],
  ['src/mapping/probe.ts', '../intercom/operations.js'],
  ['src/mapping/probe.test.ts', '../sandbox/openapi-validator.js'],
  ['src/cli/probe.ts', '../delivery/store/sqlite/thread/threaded-sqlite-store.js'],
  ['src/cli/probe.ts', '../delivery/store/postgres/postgres-store.js'],
  ['test/delivery-probe.test.ts', '../src/delivery/store/sqlite/sqlite-store.js'],
  ['test/e2e/probe.e2e.test.ts', '../../src/delivery/store/postgres/postgres-store.js'],
  ['test/security/probe.test.ts', '../../src/cli/queue.js'],
  ['bench/store-probe.ts', '../src/delivery/store/sqlite/sqlite-store.js'],
  ['src/console/probe.ts', '../delivery/store/dead-letters.js'],
  ['src/console/probe.ts', '../delivery/worker/event-name-tally.js'],
  ['src/cli/probe.ts', '../console/console-plugin.js'],
];

describe('lint arrows (eslint.config.js)', () => {
  it.each(refused)('refuses %s importing %s', async (file, specifier) => {
    const errors = await importErrors(file, specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-restricted-imports: /);
  });

  it.each(accepted)('lets %s import %s', async (file, specifier) => {
    expect(await importErrors(file, specifier)).toEqual([]);
  });

  it('names the concrete store a worker file may not import, and where the arrows are written', async () => {
    const [error] = await importErrors('src/delivery/worker/probe.ts', '../store/sqlite/sqlite-store.js');
    expect(error).toContain('src/delivery/worker may not import src/delivery/store/sqlite');
    expect(error).toContain('eslint.config.js');
  });
});
