import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

import { treeCpuSeconds } from '../../../bench/compare/process-tree.js';

/** A shell loop that spends about `seconds` of CPU, much of it in the date(1) processes it forks. */
const burn = (seconds: number): string => `end=$(( $(date +%s%N) + ${Math.round(seconds * 1e9)} )); while [ $(date +%s%N) -lt $end ]; do :; done`;

describe('treeCpuSeconds', () => {
  it('counts the CPU of descendants that have already exited, grandchildren included', async () => {
    // The burning shell and its date(1)s have exited and been waited for by the time "done" comes:
    // only the idle parent is left in the tree, and all their time is in its reaped children's.
    const parent = spawn('sh', ['-c', `sh -c '${burn(0.4)}'; echo done; exec sleep 30`], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve, reject) => {
        parent.stdout.once('data', () => {
          resolve();
        });
        parent.on('error', reject);
      });
      expect(await treeCpuSeconds(parent.pid ?? -1)).toBeGreaterThan(0.25);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('refuses a process that does not exist', async () => {
    await expect(treeCpuSeconds(2 ** 22 + 1)).rejects.toThrow(/gone/);
  });
});
