import { defineConfig } from 'vitest/config';

/** `npm run test:package`: the packed-package test, kept out of `npm test` (it takes minutes and may install from npm). */
export default defineConfig({
  test: { include: ['test/package/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 600_000, maxWorkers: 1 },
});
