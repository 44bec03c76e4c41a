// @ts-check
import tseslint from 'typescript-eslint';

/** Folders and the internal folders each may import (docs: ARCHITECTURE.md "Folder layout"). */
const allowed = {
  clock: [],
  segment: [],
  mapping: ['segment', 'intercom/operations'],
  intercom: ['clock', 'segment'],
  delivery: ['clock', 'segment', 'mapping', 'intercom'],
  server: ['clock', 'segment', 'delivery'],
  sandbox: ['clock', 'intercom/operations'],
  browser: ['segment', 'mapping'],
  'react-native': ['segment', 'mapping'],
};
const all = [
  'clock',
  'segment',
  'mapping',
  'intercom',
  'delivery',
  'server',
  'sandbox',
  'browser',
  'react-native',
  'cli',
];

/** One config block per folder forbidding imports that point up the layer list. */
const layerRules = Object.entries(allowed).map(([folder, ok]) => {
  const forbidden = all.filter((f) => f !== folder && !ok.some((o) => o === f || o.startsWith(`${f}/`)));
  const partial = ok.filter((o) => o.includes('/'));
  const patterns = forbidden.map((f) => ({
    group: [`../${f}/*`, `../../${f}/*`, `**/src/${f}/*`],
    message: `src/${folder} may not import src/${f} (ARCHITECTURE.md folder layout).`,
  }));
  for (const p of partial) {
    const [top, file] = p.split('/');
    patterns.push({
      group: [`../${top}/*`, `!../${top}/${file}.js`, `!../${top}/${file}/*`],
      message: `src/${folder} may import only ${p} from src/${top}.`,
    });
  }
  return {
    files: [`src/${folder}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
});

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
    ignores: [
      // removed when the delivery split lands (#13)
      'src/delivery/**',
      'src/cli/**',
      'test/delivery-*',
    ],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  // Test files are exempt from the function rule: a `describe` callback groups many cases, so its
  // length is the length of the suite, not of one piece of logic.
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      // removed when the delivery split lands (#13)
      'src/delivery/**',
      'src/cli/**',
    ],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 60, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
  },
);
