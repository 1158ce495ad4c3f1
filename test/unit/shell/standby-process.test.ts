/**
 * The process started ahead for a shell host's next command (shell/standby-process.ts, kept by
 * shell/standby-pool.ts): a command handed to it must be indistinguishable from one started the
 * usual way, it serves only shells it fits, and none outlives its pool (the host).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { CommandLaunchError } from '../../../shell/errors.js';
import { ShellSession } from '../../../shell/shell-session.js';
import { StandbyPool } from '../../../shell/standby-pool.js';
import type { CommandLaunch, ShellSettings } from '../../../shell/types.js';
import { drain, groupIsGone, livingMembers, processGroupOf, settings, viaShell, waitFor } from './helpers.js';

const sessions: ShellSession[] = [];
const directories: string[] = [];
/** The host's pool, shared by the shells of one test as a host's shells share it. */
let pool = new StandbyPool();

function session(overrides: Partial<ShellSettings> = {}): ShellSession {
  const shell = new ShellSession(`S${sessions.length}`, settings(overrides), undefined, pool);
  sessions.push(shell);
  return shell;
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((shell) => shell.close()));
  await pool.close();
  pool = new StandbyPool();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** This process's children that are standbys still waiting for a command line. */
function waitingStandbys(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (Number(parent) === process.pid && state !== 'Z' && argv.includes('winrmd-standby')) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** The pid of the one standby this process has, once it waits. */
async function waitingStandby(): Promise<number> {
  await waitFor(() => waitingStandbys().length === 1, 'a waiting standby');
  const [pid] = waitingStandbys();
  if (pid === undefined) throw new Error('the standby went away');
  return pid;
}

/** The one waiting standby, once it is another than `previous` (which may wait a moment longer for its line). */
async function anotherStandby(previous: number): Promise<number> {
  await waitFor(() => waitingStandbys().length === 1 && !waitingStandbys().includes(previous), 'another standby');
  return waitingStandby();
}

function consoleLaunch(commandLine: string): CommandLaunch {
  return { ...viaShell(commandLine), console: true };
}

function pipeLaunch(commandLine: string): CommandLaunch {
  return { ...viaShell(commandLine), console: false };
}

describe('a shell standby process', { timeout: 20_000 }, () => {
  it('is started with the shell and runs the first command with a console', async () => {
    const shell = session();
    const standby = await waitingStandby();
    const command = await shell.startCommand('c1', consoleLaunch('[ -t 0 ] && echo console; echo $$; pwd; printf "%s" "$WINRMD_TEST"'));
    expect(command.pid).toBe(standby);
    // It leads its own session and process group, as a freshly started console command does.
    expect(processGroupOf(command.pid)).toBe(command.pid);
    const result = await drain(command);
    expect(result.stdout.toString().split('\n')).toEqual(['console', String(command.pid), tmpdir(), '']);
    expect(result.exitCode).toBe(0);
  });

  it('makes the console the controlling terminal of a new session the command leads', async () => {
    const shell = session();
    const standby = await waitingStandby();
    const command = await shell.startCommand('c1', consoleLaunch('ps -o sid= -o pgid= -o tty= -p $$; tty'));
    expect(command.pid).toBe(standby);
    const [line, device] = (await drain(command)).stdout.toString().trim().split('\n');
    const [sid, pgid, tty] = line?.trim().split(/\s+/) ?? [];
    expect(Number(sid)).toBe(command.pid);
    expect(Number(pgid)).toBe(command.pid);
    expect(tty).toMatch(/^pts\/\d+$/);
    expect(device).toBe(`/dev/${tty ?? ''}`);
  });

  it('gives the interpreter the exact command line: newlines, quotes, backslashes, spaces, prelude', async () => {
    const shell = session({ environment: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', WINRMD_TEST: 'from the shell' }, commandPrelude: 'PRE=1; ' });
    await waitingStandby();
    const line = 'printf "%s|" "$PRE" "$WINRMD_TEST" \'  two  spaces \' "back\\\\slash"\nprintf "second line\\n"\nexit 7\n';
    const result = await drain(await shell.startCommand('c1', consoleLaunch(line)));
    expect(result.stdout.toString()).toBe('1|from the shell|  two  spaces |back\\slash|second line\n');
    expect(result.exitCode).toBe(7);
  });

  it('sets its console up as a console command started the usual way: modes, and SIGHUP ignored', async () => {
    const first = session();
    const standby = await waitingStandby();
    const od = await first.startCommand('c1', consoleLaunch('od -An -c | tr -s " "'));
    expect(od.pid).toBe(standby);
    // -icrnl: a carriage return stays one.
    await od.write(Buffer.from('a\r\nb\n'));
    od.endInput();
    expect((await drain(od)).stdout.toString().trim()).toBe('a \\r \\n b \\n');

    const second = session();
    await waitingStandby();
    const leaver = await second.startCommand('c1', consoleLaunch('sleep 100 >/dev/null 2>&1 & echo $!'));
    const background = Number((await drain(leaver)).stdout.toString().trim());
    // The kernel's hangup at the session leader's exit went to an ignored SIGHUP.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(livingMembers(leaver.pid)).toContain(background);
    process.kill(background, 'SIGKILL');
  });

  it('keeps a CR typed into a console right after the shell was created', async () => {
    // The Command arrives while the standby is still starting: the input must still meet the
    // terminal's modes (-icrnl keeps a CR), not the kernel's defaults. (The standby is taken only
    // once it has set them; the race this guards against is narrow, so this may pass without that.)
    const shell = session();
    const od = await shell.startCommand('c1', consoleLaunch('od -An -c | tr -s " "'));
    await od.write(Buffer.from('a\r\nb\n'));
    od.endInput();
    expect((await drain(od)).stdout.toString().trim()).toBe('a \\r \\n b \\n');
  });

  it('is not used for a command line over 4 KiB (read a byte at a time by the waiting sh), which starts the usual way', async () => {
    const shell = session();
    for (const length of [4_200, 40_000]) {
      const standby = await waitingStandby();
      const long = await shell.startCommand(`c${length}`, consoleLaunch(`: ${'x'.repeat(length)}; echo long`));
      expect(long.pid, `${length}`).not.toBe(standby);
      expect((await drain(long)).stdout.toString()).toBe('long\n');
      expect(waitingStandbys()).toContain(standby);
    }
  });

  it('takes a command line of up to 4 KiB, whole', async () => {
    const shell = session();
    const standby = await waitingStandby();
    const tail = '; printf %s "${#x}"';
    const padding = 'y'.repeat(4096 - 'x='.length - tail.length);
    const line = await shell.startCommand('c1', consoleLaunch(`x=${padding}${tail}`));
    expect(line.pid).toBe(standby);
    expect((await drain(line)).stdout.toString()).toBe(String(padding.length));
  });

  it('is kept only for an interpreter that is the waiting shell itself', async () => {
    const shell = session({ interpreter: ['/bin/bash', '-c'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(waitingStandbys()).toEqual([]);
    expect((await drain(await shell.startCommand('c1', consoleLaunch('echo "$BASH_VERSION" | cut -c1')))).stdout.toString()).toMatch(/^\d\n$/);
  });

  it('leaves no descriptor of its own to the command', async () => {
    // The interpreter's own descriptors, by what they are: the pipe the line came on would be one
    // more socket (libuv makes child pipes as socket pairs).
    const listing = consoleLaunch('for f in /proc/$$/fd/*; do readlink "$f"; done | sed "s/:.*//" | sort | uniq -c');
    const shell = session();
    await waitingStandby();
    const fromStandby = await drain(await shell.startCommand('c1', listing));
    // The same sockets as a command started the usual way (other descriptors vary with the consoles
    // this process holds, covered by /dev/null, and what the test runner leaves open).
    const usual = new ShellSession('plain', settings());
    sessions.push(usual);
    const fromSpawn = await drain(await usual.startCommand('c1', listing));
    const sockets = (output: Buffer): string | undefined => /^\s*(\d+) socket$/m.exec(output.toString())?.[1];
    expect(sockets(fromStandby.stdout)).toBe(sockets(fromSpawn.stdout));
    expect(sockets(fromStandby.stdout)).toBe('2');
  });

  it('is started for the kind of stdin the last command asked for, and serves only that kind', async () => {
    const shell = session();
    const consoleStandby = await waitingStandby();
    const first = await shell.startCommand('c1', pipeLaunch('[ -t 0 ] || echo pipe; read x; echo "got $x"'));
    // The console standby did not fit a pipe command, which started the usual way; a pipe standby
    // takes its place while c1 runs.
    expect(first.pid).not.toBe(consoleStandby);
    await waitFor(() => waitingStandbys().length === 1 && !waitingStandbys().includes(consoleStandby), 'a pipe standby instead');
    const pipeStandby = await waitingStandby();
    await first.write(Buffer.from('input\n'));
    first.endInput();
    expect((await drain(first)).stdout.toString()).toBe('pipe\ngot input\n');
    const second = await shell.startCommand('c2', pipeLaunch('[ -t 0 ] || echo pipe'));
    expect(second.pid).toBe(pipeStandby);
    expect((await drain(second)).stdout.toString()).toBe('pipe\n');
  });

  it('serves the next shell of the same kind, and only of the same kind', async () => {
    const first = session();
    const standby = await waitingStandby();
    expect((await drain(await first.startCommand('c1', consoleLaunch('echo one')))).stdout.toString()).toBe('one\n');
    // The next standby started while c1 ran, for whichever shell of the host comes next.
    const next = await anotherStandby(standby);
    const second = session();
    const command = await second.startCommand('c1', consoleLaunch('echo two'));
    expect(command.pid).toBe(next);
    expect((await drain(command)).stdout.toString()).toBe('two\n');

    // Another environment is another kind: its shell's command does not get the spare.
    const spare = await waitingStandby();
    const other = session({ environment: { ...settings().environment, WINRMD_TEST: 'other' } });
    const otherCommand = await other.startCommand('c1', consoleLaunch('printf "%s" "$WINRMD_TEST"'));
    expect(otherCommand.pid).not.toBe(spare);
    expect((await drain(otherCommand)).stdout.toString()).toBe('other');
    await waitFor(() => !waitingStandbys().includes(spare), 'the spare of the other kind to give way');
  });

  it('is not used for a direct start or a mapped argv, and stays for the next line', async () => {
    const shell = session();
    const standby = await waitingStandby();
    const direct = await shell.startCommand('c1', { commandLine: 'echo direct', executable: 'echo', args: ['direct'], skipInterpreter: true, console: true });
    expect(direct.pid).not.toBe(standby);
    expect((await drain(direct)).stdout.toString()).toBe('direct\n');
    const mapped = await shell.startCommand('c2', { ...consoleLaunch('ignored'), argv: ['/bin/echo', 'mapped'] });
    expect(mapped.pid).not.toBe(standby);
    expect((await drain(mapped)).stdout.toString()).toBe('mapped\n');
    expect(waitingStandbys()).toContain(standby);
  });

  it('reports a line sh cannot take as the usual start does', async () => {
    const shell = session();
    await waitingStandby();
    const failure = await shell.startCommand('c1', consoleLaunch('echo a\0b')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandLaunchError);
    expect((failure as CommandLaunchError).code).toBe('EINVAL');
  });

  it('is replaced by the usual start when it was killed meanwhile', async () => {
    const shell = session();
    const standby = await waitingStandby();
    process.kill(standby, 'SIGKILL');
    // Reaped, not only dead: until Node has reaped it, nothing tells it from a waiting one.
    await waitFor(() => !existsSync(`/proc/${standby}`), 'the kill');
    const command = await shell.startCommand('c1', consoleLaunch('echo fresh'));
    expect(command.pid).not.toBe(standby);
    expect((await drain(command)).stdout.toString()).toBe('fresh\n');
  });

  it("waits outside every shell's memory cgroup, and enters the cgroup of the shell that takes it", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'winrmd-standby-'));
    directories.push(directory);
    const procsOf = (name: string): string => {
      const procs = join(directory, `${name}.procs`);
      writeFileSync(procs, '');
      return procs;
    };
    const [first, second] = [procsOf('first'), procsOf('second')];
    // Prepared for the first shell, taken by the second (same kind, another cgroup).
    session({ memoryCgroupProcs: first });
    const standby = await waitingStandby();
    const shell = session({ memoryCgroupProcs: second });
    expect(readFileSync(first, 'utf8')).toBe('');
    const command = await shell.startCommand('c1', consoleLaunch('echo $$'));
    expect(command.pid).toBe(standby);
    expect((await drain(command)).stdout.toString().trim()).toBe(String(standby));
    expect(readFileSync(second, 'utf8').trim()).toBe(String(standby));
    expect(readFileSync(first, 'utf8')).toBe('');
  });

  it('does not serve a shell with another working directory or interpreter arguments', async () => {
    session();
    const spare = await waitingStandby();
    const elsewhere = session({ workingDirectory: '/' });
    const there = await elsewhere.startCommand('c1', consoleLaunch('pwd'));
    expect(there.pid).not.toBe(spare);
    expect((await drain(there)).stdout.toString()).toBe('/\n');
    const next = await anotherStandby(spare);
    const traced = session({ workingDirectory: '/', interpreter: ['/bin/sh', '-e', '-c'] });
    const strict = await traced.startCommand('c1', consoleLaunch('false; echo not reached'));
    expect(strict.pid).not.toBe(next);
    expect((await drain(strict)).stdout.toString()).toBe('');
  });

  it('is followed by the next once the command that took it has ended, or soon if it runs on', async () => {
    const shell = session();
    const first = await waitingStandby();
    const long = await shell.startCommand('c1', consoleLaunch('sleep 5'));
    expect(long.pid).toBe(first);
    // A spare for the next command of the host starts while this one still runs.
    const next = await anotherStandby(first);
    await shell.removeCommand('c1');
    const quick = await shell.startCommand('c2', consoleLaunch('echo quick'));
    expect(quick.pid).toBe(next);
    expect((await drain(quick)).stdout.toString()).toBe('quick\n');
    await anotherStandby(next);
  });

  it('ends with its pool, and after waiting unused for a while', async () => {
    session();
    const standby = await waitingStandby();
    await pool.close();
    // Gone by the time close() resolves.
    expect(groupIsGone(standby)).toBe(true);

    pool = new StandbyPool(undefined, 200);
    session();
    const idle = await waitingStandby();
    await waitFor(() => groupIsGone(idle), 'the idle spare to end');
    expect(waitingStandbys()).toEqual([]);
  });

  it('leaves nothing behind when the pool closes while a standby starts', async () => {
    session();
    // The start waits for the next turn of the event loop; closing now means it never happens.
    await pool.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(waitingStandbys()).toEqual([]);
  });
});
