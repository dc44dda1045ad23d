import { resolve } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Plugins import 'redix-server'; in tests that is the source tree, the same modules the kernel runs from.
    alias: [
      { find: /^redix-server$/, replacement: resolve(import.meta.dirname, 'src/index.ts') },
      { find: /^redix-server\/persistence$/, replacement: resolve(import.meta.dirname, 'src/api/persistence.ts') },
      { find: /^redix-server\/numbers$/, replacement: resolve(import.meta.dirname, 'src/api/numbers.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // test/package runs on its own (npm run test:package); test/.tmp-* holds generated plugins.
    exclude: [...configDefaults.exclude, 'test/package/**', 'test/.tmp-*/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Interop tests start real processes; two workers suit the 2-core machines this runs on.
    maxWorkers: 2,
  },
});
