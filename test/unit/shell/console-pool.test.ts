/**
 * The console pool (shell/console-pool.ts): a console taken from it is set up exactly as one opened
 * for the command (modes, size, controlling terminal), a new spare follows each take, and release
 * leaves no terminal open.
 */
import { readdirSync, readlinkSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { CommandProcess } from '../../../shell/command-process.js';
import { ConsolePool } from '../../../shell/console-pool.js';
import type { CommandLaunch } from '../../../shell/types.js';
import { drain, settings, viaShell } from './helpers.js';

const pools: ConsolePool[] = [];
const started: CommandProcess[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((command) => command.kill()));
  for (const pool of pools.splice(0)) pool.release();
});

function newPool(): ConsolePool {
  const pool = new ConsolePool();
  pools.push(pool);
  return pool;
}

async function runInConsole(pool: ConsolePool, commandLine: string, env: Record<string, string> = {}): Promise<string> {
  const base = settings();
  const launch: CommandLaunch = { ...viaShell(commandLine), console: true };
  const command = await CommandProcess.start(`c${started.length}`, launch, settings({ environment: { ...base.environment, ...env } }), pool);
  started.push(command);
  return (await drain(command)).stdout.toString();
}

/** Pseudo-terminal descriptors this process holds: each console holds a master and a slave. */
function ptyDescriptors(): string[] {
  const found: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === '/dev/ptmx' || target.startsWith('/dev/pts/')) found.push(target);
    } catch {
      // The descriptor readdir itself used is gone by now.
    }
  }
  return found;
}

/** Waits up to 10 s: making the spare console runs stty, which a loaded machine may take seconds to start. */
async function settled(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ConsolePool', { timeout: 15_000 }, () => {
  it('gives each command a console of its own, set up and sized as the command asked, the spare included', async () => {
    const pool = newPool();
    // The two modes as stty prints them, "-" meaning off: exact tokens, so "-iutf8" is not "iutf8".
    const script = 'tty; stty -a | tr " ;" "\\n\\n" | grep -x -e "-*icrnl" -e "-*iutf8" | sort | tr "\\n" " "; echo; stty size';
    const first = (await runInConsole(pool, script)).split('\n');
    // The second command takes the spare the first take made ready, with another size.
    const second = (await runInConsole(pool, script, { COLUMNS: '132', LINES: '43' })).split('\n');
    expect(first[0]).toMatch(/^\/dev\/pts\/\d+$/);
    expect(second[0]).toMatch(/^\/dev\/pts\/\d+$/);
    expect(second[0]).not.toBe(first[0]);
    for (const lines of [first, second]) expect(lines[1]).toBe('-icrnl iutf8 ');
    expect(first[2]).toBe('25 80');
    expect(second[2]).toBe('43 132');
  });

  it('holds one spare after a take, and none after release', async () => {
    const before = ptyDescriptors().length;
    const pool = newPool();
    await runInConsole(pool, 'true');
    for (const command of started.splice(0)) await command.kill();
    // The command's console is closed once it ended; the spare (master and slave) stays.
    await settled(() => ptyDescriptors().length === before + 2);
    expect(ptyDescriptors().length).toBe(before + 2);
    pool.release();
    await settled(() => ptyDescriptors().length === before);
    expect(ptyDescriptors().length).toBe(before);
  });
});
