import { defineConfig } from 'vitest/config';

// `npm run test:container` (scripts/test-container.sh, which builds the images first): the tests
// that start containers. One file at a time: each starts several containers on two cores.
export default defineConfig({
  test: {
    include: ['test/container/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
