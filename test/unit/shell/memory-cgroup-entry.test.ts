/**
 * A command of a shell with a memory cgroup writes its own pid to the cgroup's cgroup.procs before
 * it execs (shell/command-process.ts). A regular file stands in for cgroup.procs here: what is
 * checked is which pid is written, that the command runs as that very process, and that a command
 * which cannot enter its cgroup does not run.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandProcess, inMemoryCgroup } from '../../../shell/command-process.js';
import { CommandLaunchError } from '../../../shell/errors.js';
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

  it('fails to launch a program that does not exist, as without a cgroup, and writes nothing', async () => {
    const procs = join(tempDir(), 'cgroup.procs');
    for (const memoryCgroupProcs of [undefined, procs]) {
      const failure = CommandProcess.start('C4', direct('/nonexistent/winrmd-test'), settings({ memoryCgroupProcs }));
      await expect(failure).rejects.toBeInstanceOf(CommandLaunchError);
      await expect(failure).rejects.toMatchObject({ code: 'ENOENT', message: 'cannot start /nonexistent/winrmd-test: ENOENT' });
    }
    expect(existsSync(procs)).toBe(false);
  });

  it('fails to launch a program missing from PATH or not executable, with the codes spawn gives', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-executable'), 'echo never\n');
    chmodSync(join(dir, 'not-executable'), 0o644);
    const procs = join(dir, 'cgroup.procs');
    const cases: [string, string][] = [
      ['winrmd-no-such-program', 'ENOENT'],
      [join(dir, 'not-executable'), 'EACCES'],
      [dir, 'EACCES'],
    ];
    for (const [program, code] of cases) {
      for (const memoryCgroupProcs of [undefined, procs]) {
        const failure = CommandProcess.start('C5', direct(program), settings({ memoryCgroupProcs }));
        await expect(failure, `${program} ${memoryCgroupProcs ?? 'without a cgroup'}`).rejects.toMatchObject({ name: 'CommandLaunchError', code });
      }
    }
  });

  it('runs a program found on the command’s own PATH, or relative to its working directory', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'winrmd-hello'), '#!/bin/sh\necho "hello $1"\n');
    chmodSync(join(dir, 'bin', 'winrmd-hello'), 0o755);
    const procs = join(dir, 'cgroup.procs');
    const onPath = settings({ memoryCgroupProcs: procs, environment: { PATH: `/nonexistent:${join(dir, 'bin')}` } });
    const relative = settings({ memoryCgroupProcs: procs, workingDirectory: dir });
    for (const [launch, shell] of [
      [direct('winrmd-hello', 'path'), onPath],
      [direct('./bin/winrmd-hello', 'path'), relative],
    ] as const) {
      const result = await drain(await CommandProcess.start('C6', launch, shell));
      expect(result.exitCode).toBe(0);
      expect(result.stdout.toString()).toBe('hello path\n');
    }
  });

  it('still rejects a program name spawn cannot take', async () => {
    const failure = CommandProcess.start('C7', direct('bad\0name'), settings({ memoryCgroupProcs: join(tempDir(), 'cgroup.procs') }));
    await expect(failure).rejects.toMatchObject({ name: 'CommandLaunchError', code: 'EINVAL' });
  });
});
