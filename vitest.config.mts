import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Plugins import 'redix'; in tests that is the source tree, the same modules the kernel runs from.
    alias: { redix: resolve(import.meta.dirname, 'src/index.ts') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Interop tests start real processes; two workers suit the 2-core machines this runs on.
    maxWorkers: 2,
  },
});
