import { defineConfig } from 'vitest/config';
import BenchSummaryReporter from './bench/support/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run by `npm run test:container` (vitest.container.config.ts), after the images are built, and
    // by `npm run test:cgroup-vm` (vitest.cgroup-vm.config.ts), after the kernel and initramfs are.
    exclude: ['test/container/**', 'test/cgroup-vm/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests each start their own server on ephemeral ports; two cores run two files at once.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Read only by `vitest bench` (`npm run bench`); vitest takes benchmark options from inside `test`.
    benchmark: {
      include: ['bench/**/*.bench.ts'],
      reporters: ['default', new BenchSummaryReporter()],
    },
  },
});
