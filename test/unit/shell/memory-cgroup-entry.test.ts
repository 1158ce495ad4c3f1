/**
 * A command of a shell with a memory cgroup writes its own pid to the cgroup's cgroup.procs before
 * it execs (shell/command-process.ts). A regular file stands in for cgroup.procs here: what is
 * checked is which pid is written, that the command runs as that very process, and that a command
 * which cannot enter its cgroup does not run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandProcess, inMemoryCgroup } from '../../../shell/command-process.js';
import { direct, drain, settings, viaShell } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'winrmd-procs-'));
  dirs.push(dir);
  return dir;
}

describe('commands in a shell memory cgroup', () => {
  it('leaves the argv alone when the shell has no cgroup', () => {
    expect(inMemoryCgroup(undefined, ['/bin/echo', 'a b'])).toEqual(['/bin/echo', 'a b']);
  });

  it('writes the command’s own pid before the command runs, in that same process', async () => {
    const procs = join(tempDir(), 'cgroup.procs');
    const command = await CommandProcess.start('C1', viaShell('echo $$'), settings({ memoryCgroupProcs: procs }));
    const result = await drain(command);
    expect(result.exitCode).toBe(0);
    const [ownPid] = result.stdout.toString().split('\n');
    expect(readFileSync(procs, 'utf8').trim()).toBe(String(command.pid));
    expect(ownPid).toBe(String(command.pid));
  });

  it('passes arguments through unchanged (spaces, quotes, an empty one)', async () => {
    const procs = join(tempDir(), 'cgroup.procs');
    const command = await CommandProcess.start('C2', direct('/usr/bin/printf', '[%s]', 'a b', '"q"', ''), settings({ memoryCgroupProcs: procs }));
    const result = await drain(command);
    expect(result.stdout.toString()).toBe('[a b]["q"][]');
  });

  it('does not run a command that cannot enter its cgroup, and says why', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    const command = await CommandProcess.start('C3', direct('/usr/bin/touch', marker), settings({ memoryCgroupProcs: join(dir, 'missing', 'cgroup.procs') }));
    const result = await drain(command);
    expect(result.exitCode).toBe(126);
    expect(result.stderr.toString()).toContain('could not enter its shell\'s memory cgroup');
    expect(existsSync(marker)).toBe(false);
  });
});
