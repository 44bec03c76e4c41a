// @ts-check
import tseslint from 'typescript-eslint';

/**
 * The arrows (docs/architecture.md): the rooms of src/ and the rooms each may import. A room may
 * always import its own files and those of the rooms that contain it (a concrete store imports the
 * engine-neutral store it implements). Allowing a room allows the rooms inside it, except a concrete
 * store (SEALED), which is allowed only where it is named: only the wiring (cli) names one, so every
 * other room reaches the queue through the role interfaces of delivery/store. An entry ending in
 * `.js` allows that one file of a room; `*` allows every room.
 */
const allowed = {
  clock: [],
  segment: [],
  mapping: ['segment', 'intercom/operations.js'],
  intercom: ['clock', 'segment'],
  // delivery holds rooms only: its store (engine-neutral, then each engine), the worker, intake, metrics.
  delivery: [],
  'delivery/store': ['clock', 'segment', 'intercom'],
  'delivery/store/sqlite': ['clock', 'segment', 'intercom'],
  'delivery/store/postgres': ['clock', 'segment', 'intercom'],
  'delivery/worker': ['clock', 'segment', 'intercom', 'delivery/store'],
  'delivery/intake': ['segment', 'intercom', 'mapping', 'delivery/store'],
  'delivery/metrics': ['clock', 'intercom', 'delivery/store', 'delivery/worker'],
  server: ['clock', 'segment', 'delivery/store/enqueue.js', 'delivery/worker/health.js'],
  sandbox: ['clock', 'intercom/operations.js'],
  // The operator console: it reads and acts on the queue through the store's role interfaces only.
  console: ['clock', 'segment', 'intercom', 'delivery/store', 'delivery/worker'],
  browser: ['segment', 'mapping'],
  'react-native': ['segment', 'mapping'],
  cli: ['*'],
};
/** The concrete stores: allowed only where named. */
const SEALED = ['delivery/store/sqlite', 'delivery/store/postgres'];

const rooms = Object.keys(allowed);
/** Whether `room` is `outer` or inside it. */
const within = (room, outer) => room === outer || room.startsWith(`${outer}/`);
/** Whether the room entry `entry` of an allowed list covers room `to`. */
const covers = (entry, to) =>
  entry === '*' ||
  entry === to ||
  (within(to, entry) && !SEALED.some((s) => within(to, s) && !within(entry, s)));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The patterns of the imports `from` may not make. An import names a room by its path from the
 * nearest folder the two rooms share (`../store/sqlite/x.js` from delivery/worker,
 * `../delivery/store/sqlite/x.js` from server, `./sqlite/x.js` from delivery/store), so each forbidden
 * room is matched by that path wherever it appears in the import. A room's pattern leaves out the
 * rooms inside it (each has its own, so an import is reported once, naming the room it reaches) and
 * the files of it `from` may still import.
 */
function forbiddenImports(from, extra = []) {
  const ok = [...allowed[from], ...extra];
  const files = ok.filter((entry) => entry.endsWith('.js'));
  return rooms
    .filter((to) => !within(from, to) && !ok.some((entry) => !entry.endsWith('.js') && covers(entry, to)))
    .map((to) => {
      const shared = [];
      const [a, b] = [from.split('/'), to.split('/')];
      while (shared.length < a.length && a[shared.length] === b[shared.length]) shared.push(a[shared.length]);
      const path = b.slice(shared.length).join('/');
      const inner = rooms
        .filter((r) => r !== to && within(r, to))
        .map((r) => `${escape(r.slice(to.length + 1))}/`);
      const mine = files
        .filter((f) => f.slice(0, f.lastIndexOf('/')) === to)
        .map((f) => f.slice(to.length + 1));
      const skip = [...inner, ...mine.map((f) => `${escape(f)}$`)];
      return {
        regex: `(^|/)${escape(path)}/${skip.length === 0 ? '' : `(?!${skip.join('|')})`}`,
        message: `src/${from} may not import src/${to}${mine.length === 0 ? '' : ` (only ${mine.join(', ')})`}: see the arrows in eslint.config.js.`,
      };
    });
}

/**
 * Two blocks per room: its code, and its tests beside the code (src/<room>/**\/*.test.ts), which
 * follow the room's arrows and may also import the sandbox (the local Intercom that tests check
 * requests against, e.g. with its OpenAPI validator) and the fixtures and contract runners of test/,
 * which are no room.
 */
const roomRules = rooms.flatMap((room) => {
  const inner = rooms.filter((r) => r !== room && within(r, room)).map((r) => `src/${r}/**`);
  const rule = (extra) => ({
    'no-restricted-imports': ['error', { patterns: forbiddenImports(room, extra) }],
  });
  return [
    { files: [`src/${room}/**/*.ts`], ignores: [...inner, '**/*.test.ts'], rules: rule([]) },
    { files: [`src/${room}/**/*.test.ts`], ignores: inner, rules: rule(['sandbox']) },
  ];
});

/**
 * Tests in test/ and benches in bench/ exercise several rooms together, as the wiring does, so they
 * may import any room; a concrete store only where the store itself is the subject: its contract
 * runners and tests (test/delivery-*), the end-to-end tests, which seed and read the queue that
 * running serve processes share (work no product path does, such as jobs for a destination no
 * process delivers), and the benches that measure a store.
 */
const testRules = {
  files: ['test/**/*.ts', 'bench/**/*.ts'],
  ignores: ['test/delivery-*.ts', 'test/e2e/**', 'bench/store-*.ts', 'bench/api-calls.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `(^|/)src/(${SEALED.map(escape).join('|')})/`,
            message:
              "Only the wiring (src/cli) and a store's own tests and benches import a concrete store: see eslint.config.js.",
          },
        ],
      },
    ],
  },
};

const layerRules = [...roomRules, testRules];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.cache/**',
      'dist/**',
      'data/**',
      'coverage/**',
      'test-output/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...layerRules,
  // Size (#13): no file over 300 lines, no function over 60; past either, split by concept. Lines are
  // raw lines, as `wc -l` counts them: blank lines and comments count too. Only TypeScript is measured,
  // so fixture data (JSON) and the vendored OpenAPI description (YAML) are out of scope. A page
  // template or data table may exceed the function limit with a disable comment that says so.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  // Test files are exempt from the function rule: a `describe` callback groups many cases, so its
  // length is the length of the suite, not of one piece of logic.
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 60, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
  },
);
