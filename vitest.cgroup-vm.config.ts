import { defineConfig } from 'vitest/config';

// `npm run test:cgroup-vm` (scripts/test-cgroup-vm.sh, which prepares the kernel and initramfs
// first): the test that boots a VM to exercise cgroup v2 on a real kernel.
export default defineConfig({
  test: {
    include: ['test/cgroup-vm/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    maxWorkers: 1,
    minWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
