import { readdirSync, readlinkSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { CommandProcess } from '../../../shell/command-process.js';
import { consoleSize } from '../../../shell/console-stdin.js';
import { StdinClosedError } from '../../../shell/errors.js';
import type { CommandLaunch } from '../../../shell/types.js';
import { drain, groupIsGone, livingMembers, pause, processGroupOf, readLine, settings, viaShell, waitFor } from './helpers.js';

const started: CommandProcess[] = [];

async function start(launch: CommandLaunch, env: Record<string, string> = {}): Promise<CommandProcess> {
  const base = settings();
  const command = await CommandProcess.start(`c${started.length}`, launch, settings({ environment: { ...base.environment, ...env } }));
  started.push(command);
  return command;
}

function inConsole(commandLine: string): CommandLaunch {
  return { ...viaShell(commandLine), console: true };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((command) => command.kill()));
});

/** Descriptors of this process open on the pseudo-terminal multiplexer or a pty slave. */
function ptyDescriptors(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === '/dev/ptmx' || target.startsWith('/dev/pts/')) count += 1;
    } catch {
      // The descriptor readdir itself used is gone by now.
    }
  }
  return count;
}

describe('console stdin (WINRS_CONSOLEMODE_STDIN=TRUE)', { timeout: 15_000 }, () => {
  it('gives the command a terminal as stdin and pipes as stdout and stderr', async () => {
    const command = await start(inConsole('[ -t 0 ] && echo in-tty; [ -t 1 ] || echo out-pipe; [ -t 2 ] || echo err-pipe >&2; tty'));
    const result = await drain(command);
    const lines = result.stdout.toString().split('\n');
    expect(lines.slice(0, 2)).toEqual(['in-tty', 'out-pipe']);
    expect(lines[2]).toMatch(/^\/dev\/pts\/\d+$/);
    expect(result.stderr.toString()).toBe('err-pipe\n');
    expect(result.exitCode).toBe(0);
  });

  it('keeps a pipe as stdin without the console flag', async () => {
    const command = await start(viaShell('[ -t 0 ] && echo tty || echo pipe'));
    expect((await drain(command)).stdout.toString()).toBe('pipe\n');
  });

  it('makes the terminal the controlling terminal of a new session led by the command', async () => {
    const command = await start(inConsole('ps -o sid= -o pgid= -o tty= -p $$'));
    const result = await drain(command);
    const [sid, pgid, tty] = result.stdout.toString().trim().split('\n')[0]?.trim().split(/\s+/) ?? [];
    expect(Number(sid)).toBe(command.pid);
    expect(Number(pgid)).toBe(command.pid);
    expect(tty).toMatch(/^pts\/\d+$/);
  });

  it('sets the terminal size: 80x25 by default, or COLUMNS and LINES from the environment', async () => {
    expect((await drain(await start(inConsole('stty size')))).stdout.toString()).toBe('25 80\n');
    expect((await drain(await start(inConsole('stty size'), { COLUMNS: '132', LINES: '43' }))).stdout.toString()).toBe('43 132\n');
    expect(consoleSize({ COLUMNS: 'wide', LINES: '43' })).toEqual({ cols: 80, rows: 25 });
  });

  it('delivers input as lines and End as EOF, also after a partial line', async () => {
    const command = await start(inConsole('cat; echo "[eof]"'));
    await command.write(Buffer.from('first line\nsecond'));
    command.endInput();
    const result = await drain(command);
    // The echo of the input goes to the terminal, not to stdout.
    expect(result.stdout.toString()).toBe('first line\nsecond[eof]\n');
    await expect(command.write(Buffer.from('late'))).rejects.toBeInstanceOf(StdinClosedError);
  });

  it('End right after a newline is a single ^D: EOF without an empty line', async () => {
    const command = await start(inConsole('read a; read b; echo "a=$a b=$b rc=$?"'));
    await command.write(Buffer.from('x\n'));
    command.endInput();
    // `read b` met EOF at once (status 1): no empty line came before it.
    expect(await readLine(command)).toBe('a=x b= rc=1');
  });

  it('ctrl_c interrupts the foreground process through the line discipline and the exit is reported', async () => {
    const command = await start(inConsole("trap 'echo interrupted; exit 7' INT; echo ready; sleep 100 >/dev/null 2>&1 & wait"));
    expect(await readLine(command)).toBe('ready');
    command.signal('ctrl_c');
    const result = await drain(command);
    expect(result.stdout.toString()).toBe('interrupted\n');
    expect(result.exitCode).toBe(7);
  });

  it('ctrl_c ends `sleep 100` with SIGINT', async () => {
    const command = await start(inConsole('echo ready; exec sleep 100'));
    expect(await readLine(command)).toBe('ready');
    command.signal('ctrl_c');
    expect((await drain(command)).exitCode).toBe(130);
  });

  it('ctrl_c is the interrupt character: with ISIG (and ICANON) off the program reads it', async () => {
    const command = await start(inConsole('stty -isig -icanon; echo ready; head -c 1 | od -An -tx1'));
    expect(await readLine(command)).toBe('ready');
    command.signal('ctrl_c');
    const result = await drain(command);
    expect(result.stdout.toString().trim()).toBe('03');
    expect(result.exitCode).toBe(0);
  });

  it('ctrl_c still interrupts while earlier input waits for a command that does not read', async () => {
    const command = await start(inConsole('echo ready; exec sleep 100'));
    expect(await readLine(command)).toBe('ready');
    // More than a terminal's input queue holds: this write cannot complete while sleep runs.
    const pending = command.write(Buffer.from('line\n'.repeat(200_000)));
    command.signal('ctrl_c');
    expect((await drain(command)).exitCode).toBe(130);
    await expect(pending).rejects.toBeInstanceOf(StdinClosedError);
  });

  it('keeps carriage returns: CR LF text arrives as sent', async () => {
    const command = await start(inConsole('od -An -c | tr -s " "'));
    await command.write(Buffer.from('a\r\nb\n'));
    command.endInput();
    expect((await drain(command)).stdout.toString().trim()).toBe('a \\r \\n b \\n');
  });

  it('lets what the command left in the background live on after it exits, as on Windows', async () => {
    const command = await start(inConsole('sleep 100 >/dev/null 2>&1 & echo $!'));
    const result = await drain(command);
    const background = Number(result.stdout.toString().trim());
    // The kernel's hangup at the session leader's exit went to an ignored SIGHUP: the process
    // lives on (a killed one would linger as a zombie where nothing reaps orphans).
    await pause(100);
    expect(livingMembers(command.pid)).toContain(background);
    process.kill(background, 'SIGKILL');
  });

  it('kill() ends the whole group', async () => {
    const command = await start(inConsole('sleep 100 & sleep 100; echo never'));
    await waitFor(() => processGroupOf(command.pid) === command.pid, 'setsid');
    await command.kill();
    await waitFor(() => groupIsGone(command.pid), 'the group to go');
  });

  it('leaves no terminal descriptor open once commands end or are killed', async () => {
    const before = ptyDescriptors();
    const ended = await start(inConsole('cat'));
    const killed = await start(inConsole('sleep 100'));
    expect(ptyDescriptors()).toBe(before + 4);
    ended.endInput();
    await drain(ended);
    await killed.kill();
    await waitFor(() => ptyDescriptors() === before, 'the terminals to be closed');
  });

  it('hides open consoles from every other command', async () => {
    const holder = await start(inConsole('cat'));
    const other = await start(viaShell('ls -l /proc/self/fd | grep -c -e ptmx -e /dev/pts/ || true'));
    expect((await drain(other)).stdout.toString()).toBe('0\n');
    const nested = await start(inConsole('ls -l /proc/self/fd | grep -c -e ptmx -e /dev/pts/ || true'));
    // Its own terminal on fd 0 only.
    expect((await drain(nested)).stdout.toString()).toBe('1\n');
    holder.endInput();
    await drain(holder);
  });
});
