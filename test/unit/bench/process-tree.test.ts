import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { describe, expect, it } from 'vitest';

import { treeCpuSeconds } from '../../../bench/compare/process-tree.js';

/** A fixed amount of shell arithmetic: about 0.4 s of CPU here, however busy the machine. */
const WORK = 'i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done';

/** Starts `script` under sh, held until go() so that a first reading comes before any work. */
function start(script: string): ChildProcessWithoutNullStreams {
  return spawn('sh', ['-c', `read go; ${script}`]);
}

function pidOf(child: ChildProcessWithoutNullStreams): number {
  if (child.pid === undefined) throw new Error('sh did not start');
  return child.pid;
}

function go(child: ChildProcessWithoutNullStreams): void {
  child.stdin.write('go\n');
}

function nextLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => {
      resolve(data.toString().trim());
    });
    child.once('error', reject);
  });
}

describe('treeCpuSeconds', () => {
  it('counts the work of descendants that have exited, grandchildren included, once', async () => {
    // A grandchild does the work twice over and exits; the idle parent that waited for it is all
    // that is left of the tree when it is read.
    const parent = start(`sh -c '${WORK}'; sh -c '${WORK}'; echo done; exec sleep 30`);
    try {
      const onceBefore = await measureOnce();
      const before = await treeCpuSeconds(pidOf(parent));
      go(parent);
      expect(await nextLine(parent)).toBe('done');
      const spent = (await treeCpuSeconds(pidOf(parent))) - before;
      const once = (onceBefore + (await measureOnce())) / 2;
      // Wide bounds: a busy virtual machine's CPU time for the same work drifts by half within seconds.
      expect(spent).toBeGreaterThan(1.25 * once);
      expect(spent).toBeLessThan(3 * once + 0.1);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('counts a descendant still running by its own time', async () => {
    const parent = start(`sh -c '${WORK}; echo done; exec sleep 30'`);
    try {
      const onceBefore = await measureOnce();
      const before = await treeCpuSeconds(pidOf(parent));
      go(parent);
      expect(await nextLine(parent)).toBe('done');
      const once = (onceBefore + (await measureOnce())) / 2;
      // The worker has not exited: its time is its own, not yet its parent's reaped children's.
      const spent = (await treeCpuSeconds(pidOf(parent))) - before;
      expect(spent).toBeGreaterThan(0.5 * once);
      expect(spent).toBeLessThan(1.75 * once + 0.1);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('refuses a process that does not exist', async () => {
    await expect(treeCpuSeconds(2 ** 22 + 1)).rejects.toThrow(/gone/);
  });
});

/** The CPU one run of WORK takes, read the same way: a tree that did it once and waited. */
async function measureOnce(): Promise<number> {
  const parent = start(`sh -c '${WORK}'; echo done; exec sleep 30`);
  try {
    const before = await treeCpuSeconds(pidOf(parent));
    go(parent);
    await nextLine(parent);
    return (await treeCpuSeconds(pidOf(parent))) - before;
  } finally {
    parent.kill('SIGKILL');
  }
}
