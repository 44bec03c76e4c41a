import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/build-product.global.ts'],
    // Off-device React Native: the real Segment and Intercom packages run with `react-native` replaced
    // by a fake whose native modules record every call; they are inlined so the alias reaches them.
    alias: [
      // Their ES module builds, as bundlers pick them (Node's conditions would pick the CommonJS ones).
      ...[
        '@segment/analytics-react-native',
        '@segment/sovran-react-native',
        '@intercom/intercom-react-native',
      ].map((name) => ({
        find: new RegExp(`^${name}$`),
        replacement: fileURLToPath(new URL(`node_modules/${name}/lib/module/index.js`, import.meta.url)),
      })),
      {
        find: /^react-native$/,
        replacement: fileURLToPath(new URL('test/react-native/fake-react-native.ts', import.meta.url)),
      },
    ],
    server: {
      deps: {
        inline: [
          /@segment\/analytics-react-native/,
          /@segment\/sovran-react-native/,
          /@intercom\/intercom-react-native/,
        ],
      },
    },
  },
});
