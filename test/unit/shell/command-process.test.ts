import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { CommandProcess } from '../../../shell/command-process.js';
import { CommandLaunchError, ReceiveBusyError, StdinClosedError } from '../../../shell/errors.js';
import type { CommandOutput, OutputStreamName } from '../../../shell/types.js';
import {
  BOTH,
  STDERR,
  STDOUT,
  direct,
  drain,
  groupIsGone,
  livingMembers,
  pause,
  processGroupOf,
  programOf,
  readLine,
  settings,
  viaShell,
  waitFor,
} from './helpers.js';

/** Every test's commands, killed afterwards so a failing test leaves no process running. */
const started: CommandProcess[] = [];

async function start(...args: Parameters<typeof CommandProcess.start>): Promise<CommandProcess> {
  const command = await CommandProcess.start(...args);
  started.push(command);
  return command;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((command) => command.kill()));
});

/** The most one pipe read can add beyond the bound: Node reads pipes in 64 KiB blocks. */
const ONE_READ = 65536;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function isEmpty(output: CommandOutput): boolean {
  return output.chunks.length === 0 && output.endedStreams.length === 0 && output.exitCode === undefined;
}

function bytesOf(output: CommandOutput): number {
  return output.chunks.reduce((sum, chunk) => sum + chunk.data.length, 0);
}

describe('CommandProcess output and exit', { timeout: 10_000 }, () => {
  it('reports what the command printed and its exit code', async () => {
    const command = await start('c1', viaShell('printf hello; exit 3'), settings());
    expect(command.id).toBe('c1');
    expect(command.pid).toBeGreaterThan(0);
    const result = await drain(command);
    expect(result.stdout.toString()).toBe('hello');
    expect(result.stderr.length).toBe(0);
    expect(result.exitCode).toBe(3);
    expect(command.isFinished).toBe(true);
    expect(command.hasExited).toBe(true);
  });

  it('keeps stdout and stderr apart and in arrival order', async () => {
    const command = await start(
      'c1',
      viaShell('printf one; sleep 0.05; printf two >&2; sleep 0.05; printf three'),
      settings(),
    );
    // Everything is queued before the first receive, so the order comes from the buffer alone.
    await waitFor(() => command.hasExited, 'the exit');
    const sequence: [OutputStreamName, string][] = [];
    for (;;) {
      const output = await command.receive(BOTH, 1024, AbortSignal.timeout(5000));
      for (const chunk of output.chunks) sequence.push([chunk.stream, chunk.data.toString()]);
      if (output.exitCode !== undefined) break;
    }
    expect(sequence).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', 'three'],
    ]);
  });

  it('runs the executable with its arguments unsplit when the interpreter is skipped', async () => {
    const command = await start('c1', direct('printf', '[%s]', 'a b', '$HOME'), settings());
    expect((await drain(command)).stdout.toString()).toBe('[a b][$HOME]');
  });

  it('starts in the working directory with exactly the shell environment', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'winrmd-cwd-'));
    try {
      const environment = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GREETING: 'hi there' };
      const command = await start(
        'c1',
        viaShell('printf "%s|%s|%s" "$GREETING" "$(pwd)" "${HOME-unset}"'),
        settings({ workingDirectory: directory, environment }),
      );
      expect((await drain(command)).stdout.toString()).toBe(`hi there|${directory}|unset`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports the exit code only after all output, and each end exactly once', async () => {
    const command = await start('c1', viaShell('printf abc; printf de >&2'), settings());
    await waitFor(() => command.hasExited, 'the exit');
    await pause(20); // Let the pipes report EOF too, so only the unreceived bytes hold the exit code back.

    const receipts: CommandOutput[] = [];
    for (;;) {
      const output = await command.receive(BOTH, 1, AbortSignal.timeout(5000));
      receipts.push(output);
      expect(bytesOf(output)).toBeLessThanOrEqual(1);
      if (output.exitCode !== undefined) break;
    }
    const received = { stdout: '', stderr: '' };
    receipts.forEach((output, index) => {
      for (const chunk of output.chunks) received[chunk.stream] += chunk.data.toString();
      if (index < receipts.length - 1) expect(output.exitCode).toBeUndefined();
      // A stream is ended only once its last byte is out.
      if (output.endedStreams.includes('stdout')) expect(received.stdout).toBe('abc');
      if (output.endedStreams.includes('stderr')) expect(received.stderr).toBe('de');
    });
    expect(received).toEqual({ stdout: 'abc', stderr: 'de' });
    const ends = receipts.flatMap((output) => output.endedStreams);
    expect(ends.sort()).toEqual(['stderr', 'stdout']);

    // Finished: later receives repeat the exit code at once but never an end again.
    const again = await command.receive(BOTH, 100, AbortSignal.timeout(1000));
    expect(again).toEqual({ chunks: [], endedStreams: [], exitCode: 0 });
  });

  it('reports the exit to a client reading one stream, and keeps the other queued for later', async () => {
    const command = await start('c1', viaShell('printf out; printf err >&2'), settings());
    await waitFor(() => command.hasExited, 'the exit');
    const collected: string[] = [];
    let output: CommandOutput;
    do {
      output = await command.receive(STDOUT, 100, AbortSignal.timeout(5000));
      collected.push(...output.chunks.map((chunk) => `${chunk.stream}:${chunk.data.toString()}`));
    } while (output.exitCode === undefined);
    // A client that asked for stdout alone must still learn that the command is done.
    expect(output.exitCode).toBe(0);
    expect(collected.join('')).toBe('stdout:out');

    const rest = await command.receive(STDERR, 100, AbortSignal.timeout(5000));
    expect(rest.chunks.map((chunk) => [chunk.stream, chunk.data.toString()])).toEqual([['stderr', 'err']]);
    expect(rest.endedStreams).toEqual(['stderr']);
    expect(rest.exitCode).toBe(0);
  });

  it('hands out at least one byte even when maxBytes is zero, keeping the rest in order', async () => {
    const command = await start('c1', viaShell('printf xyz'), settings());
    await waitFor(() => command.hasExited, 'the exit');
    const first = await command.receive(BOTH, 0, AbortSignal.timeout(1000));
    expect(first.chunks.map((chunk) => chunk.data.toString())).toEqual(['x']);
    expect((await drain(command)).stdout.toString()).toBe('yz');
  });

  it('delivers 5 MB intact through small receives', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'winrmd-out-'));
    const copy = join(directory, 'copy');
    try {
      const command = await start(
        'c1',
        viaShell('head -c 5000000 /dev/urandom | tee "$COPY"'),
        // A small bound as well, so pausing and resuming happen many times on the way.
        settings({
          maxBufferedBytes: 64 * 1024,
          environment: { PATH: process.env['PATH'] ?? '', COPY: copy },
        }),
      );
      const parts: Buffer[] = [];
      let exitCode: number | undefined;
      for (let i = 0; exitCode === undefined; i += 1) {
        const maxBytes = 1000 + ((i * 7919) % 9000);
        const output = await command.receive(BOTH, maxBytes, AbortSignal.timeout(5000));
        if (isEmpty(output)) throw new Error('receive returned nothing before its deadline');
        expect(bytesOf(output)).toBeLessThanOrEqual(maxBytes);
        for (const chunk of output.chunks) {
          expect(chunk.stream).toBe('stdout');
          parts.push(chunk.data);
        }
        exitCode = output.exitCode;
      }
      expect(exitCode).toBe(0);
      const received = Buffer.concat(parts);
      const written = readFileSync(copy);
      expect(written.length).toBe(5_000_000);
      expect(received.length).toBe(5_000_000);
      expect(sha256(received)).toBe(sha256(written));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('CommandProcess backpressure', { timeout: 10_000 }, () => {
  it('holds a fast writer at the bound without dropping a byte', async () => {
    const bound = 1 << 20;
    const total = 50_000_000;
    const command = await start(
      'c1',
      viaShell(`yes 0123456789 | head -c ${total}`),
      settings({ maxBufferedBytes: bound }),
    );

    await waitFor(() => command.bufferedBytes >= bound, 'the buffer to fill');
    // Unbounded, the 50 MB would be read within this time and the command would have exited.
    let peak = 0;
    for (let i = 0; i < 30; i += 1) {
      peak = Math.max(peak, command.bufferedBytes);
      await pause(10);
    }
    expect(peak).toBeLessThanOrEqual(bound + ONE_READ);
    expect(command.hasExited).toBe(false);

    const hash = createHash('sha256');
    let received = 0;
    let exitCode: number | undefined;
    while (exitCode === undefined) {
      const output = await command.receive(BOTH, 1 << 20, AbortSignal.timeout(5000));
      if (isEmpty(output)) throw new Error('receive returned nothing before its deadline');
      for (const chunk of output.chunks) {
        hash.update(chunk.data);
        received += chunk.data.length;
      }
      peak = Math.max(peak, command.bufferedBytes);
      exitCode = output.exitCode;
    }
    expect(exitCode).toBe(0);
    expect(received).toBe(total);
    expect(peak).toBeLessThanOrEqual(bound + ONE_READ);
    expect(hash.digest('hex')).toBe(sha256(Buffer.alloc(total, '0123456789\n')));
  });
});

describe('CommandProcess input', { timeout: 10_000 }, () => {
  it('round-trips stdin through cat and ends it with endInput', async () => {
    const command = await start('c1', viaShell('cat'), settings());
    await command.write(Buffer.from('first line\n'));
    await command.write(Buffer.alloc(200_000, 'z')); // more than a pipe holds: needs cat to read
    command.endInput();
    const result = await drain(command);
    expect(result.stdout.toString()).toBe(`first line\n${'z'.repeat(200_000)}`);
    expect(result.exitCode).toBe(0);
  });

  it('rejects input after endInput', async () => {
    const command = await start('c1', viaShell('cat'), settings());
    command.endInput();
    await expect(command.write(Buffer.from('late'))).rejects.toBeInstanceOf(StdinClosedError);
    expect((await drain(command)).exitCode).toBe(0);
  });

  it('rejects input once the command has closed its stdin, without crashing on EPIPE', async () => {
    const command = await start('c1', viaShell('exec 0<&-; echo ready; exec sleep 5'), settings());
    expect(await readLine(command)).toBe('ready');
    await expect(command.write(Buffer.from('nobody reads this'))).rejects.toBeInstanceOf(StdinClosedError);
    await expect(command.write(Buffer.from('again'))).rejects.toBeInstanceOf(StdinClosedError);
  });

  it('rejects input once the command has exited', async () => {
    const command = await start('c1', viaShell('true'), settings());
    await drain(command);
    await expect(command.write(Buffer.from('x'))).rejects.toBeInstanceOf(StdinClosedError);
  });
});

describe('CommandProcess signals and kill', { timeout: 10_000 }, () => {
  it('interrupts sleep with ctrl_c', async () => {
    const command = await start('c1', viaShell('sleep 30'), settings());
    // dash -c catches SIGINT itself, and an INT caught before it forks the command is only acted on
    // once the command ends; so wait until sleep runs, as it would long before a user's Ctrl+C.
    await waitFor(() => livingMembers(command.pid).some((pid) => programOf(pid) === 'sleep'), 'sleep to run');
    command.signal('ctrl_c');
    const result = await drain(command, 1024, 2000);
    expect(result.exitCode).toBe(128 + 2);
  });

  it('interrupts a directly started sleep with ctrl_c at once', async () => {
    const command = await start('c1', direct('sleep', '30'), settings());
    command.signal('ctrl_c');
    expect((await drain(command, 1024, 2000)).exitCode).toBe(128 + 2);
  });

  it('quits with ctrl_break', async () => {
    const command = await start('c1', viaShell('sleep 30'), settings());
    command.signal('ctrl_break');
    expect((await drain(command, 1024, 2000)).exitCode).toBe(128 + 3);
  });

  it('terminate kills the whole group, background grandchild included', async () => {
    const command = await start('c1', viaShell('sleep 100 & echo $!; exec sleep 100'), settings());
    const grandchild = Number(await readLine(command));
    expect(processGroupOf(grandchild)).toBe(command.pid);
    expect(livingMembers(command.pid).sort()).toEqual([command.pid, grandchild].sort());

    command.signal('terminate');
    const result = await drain(command, 1024, 2000);
    expect(result.exitCode).toBe(128 + 9);
    await waitFor(() => groupIsGone(command.pid), 'the process group to go');
  });

  it('kill() reaches a grandchild left behind after the leader exited', async () => {
    // The shell exits at once, but the grandchild keeps stdout open, so the command is not finished.
    const command = await start('c1', viaShell('sleep 100 & echo $!'), settings());
    const grandchild = Number(await readLine(command));
    await waitFor(() => command.hasExited, 'the shell to exit');
    expect(livingMembers(command.pid)).toEqual([grandchild]);
    const pending = await command.receive(BOTH, 1024, AbortSignal.timeout(100));
    expect(pending.exitCode).toBeUndefined();

    await command.kill();
    await waitFor(() => groupIsGone(command.pid), 'the process group to go');
  });

  it('kill() discards buffered output and resolves once the process has exited', async () => {
    const command = await start('c1', viaShell('sleep 100 & yes'), settings({ maxBufferedBytes: 1 << 16 }));
    await waitFor(() => command.bufferedBytes > 0, 'some output');
    await command.kill();
    expect(command.hasExited).toBe(true);
    expect(command.bufferedBytes).toBe(0);
    await waitFor(() => groupIsGone(command.pid), 'the process group to go');
    const last = await drain(command);
    expect(last.exitCode).toBe(128 + 9);
    await command.kill(); // again, after the exit: resolves at once
  });

  it('wakes a waiting receive when the command is killed', async () => {
    const command = await start('c1', viaShell('sleep 30'), settings());
    const waiting = command.receive(BOTH, 1024, AbortSignal.timeout(5000));
    await command.kill();
    const output = await waiting;
    expect(output.chunks).toEqual([]);
    expect(output.endedStreams.length).toBeGreaterThan(0);
  });
});

describe('CommandProcess receive rules', { timeout: 10_000 }, () => {
  it('rejects a second receive while one waits', async () => {
    const command = await start('c1', viaShell('sleep 30'), settings());
    const controller = new AbortController();
    const first = command.receive(BOTH, 1024, controller.signal);
    const second = command.receive(BOTH, 1024, AbortSignal.timeout(1000));
    await expect(second).rejects.toBeInstanceOf(ReceiveBusyError);
    controller.abort();
    await first;
    // The slot is free again once the first has returned.
    const third = await command.receive(BOTH, 1024, AbortSignal.abort());
    expect(third.chunks).toEqual([]);
  });

  it('returns nothing when aborted with nothing to report', async () => {
    const command = await start('c1', viaShell('sleep 30'), settings());
    const begun = Date.now();
    const output = await command.receive(BOTH, 1024, AbortSignal.timeout(50));
    expect(Date.now() - begun).toBeGreaterThanOrEqual(40);
    expect(output).toEqual({ chunks: [], endedStreams: [], exitCode: undefined });
  });

  it('waits for output that arrives later', async () => {
    const command = await start('c1', viaShell('sleep 0.1; printf late'), settings());
    const output = await command.receive(BOTH, 1024, AbortSignal.timeout(5000));
    expect(output.chunks.map((chunk) => chunk.data.toString())).toEqual(['late']);
  });

  it('answers the ends of a process that is about to exit together with its exit code', async () => {
    // The output closes a little before the exit: a Receive waiting meanwhile gets both at once,
    // so a client needs one Receive for a silent command, not one for the ends and one for Done.
    // The little while is a short loop in the shell itself: a sleep(1) there is a fork and an exec,
    // which on a loaded two-core machine took longer than the grace a Receive gives the exit.
    for (let i = 0; i < 5; i++) {
      const command = await start(`c${i}`, viaShell('exec >&- 2>&-; i=0; while [ $i -lt 300 ]; do i=$((i+1)); done'), settings());
      const output = await command.receive(BOTH, 1024, AbortSignal.timeout(5000));
      expect(output.endedStreams.slice().sort()).toEqual(['stderr', 'stdout']);
      expect(output.exitCode).toBe(0);
    }
  });

  it('reports the ends alone, a moment later, while the process goes on running', async () => {
    const command = await start('c1', viaShell('exec >&- 2>&-; sleep 30'), settings());
    const begun = Date.now();
    const output = await command.receive(BOTH, 1024, AbortSignal.timeout(5000));
    expect(Date.now() - begun).toBeLessThan(2000);
    expect(output).toEqual({ chunks: [], endedStreams: expect.arrayContaining(['stdout', 'stderr']) as unknown, exitCode: undefined });
    expect(command.hasExited).toBe(false);
  });
});

describe('CommandProcess patient receive (asked ahead of the client)', { timeout: 10_000 }, () => {
  it('waits past the first output for the whole end of the process, and answers it all at once', async () => {
    const command = await start('c1', viaShell('printf one; sleep 0.2; printf two >&2; exit 4'), settings());
    const patience = new AbortController();
    const begun = Date.now();
    const output = await command.receive(BOTH, 1024, AbortSignal.timeout(5000), 0, patience.signal);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(150);
    expect(output.chunks.map((chunk) => `${chunk.stream}:${chunk.data.toString()}`)).toEqual(['stdout:one', 'stderr:two']);
    expect(output.endedStreams.slice().sort()).toEqual(['stderr', 'stdout']);
    expect(output.exitCode).toBe(4);
  });

  it('answers at the first news once hurried, as any Receive would', async () => {
    const command = await start('c1', viaShell('printf one; sleep 30'), settings());
    const patience = new AbortController();
    const receiving = command.receive(BOTH, 1024, AbortSignal.timeout(5000), 0, patience.signal);
    await waitFor(() => command.bufferedBytes > 0, 'the first output');
    let answered = false;
    void receiving.then(() => (answered = true));
    await pause(100);
    expect(answered).toBe(false);
    patience.abort();
    const output = await receiving;
    expect(output.chunks.map((chunk) => chunk.data.toString())).toEqual(['one']);
    expect(output.exitCode).toBeUndefined();
  });

  it('answers once an envelope of output is waiting, without the end', async () => {
    // Two pieces apart: a Receive answered at its first news would take the first alone.
    const command = await start('c1', viaShell('head -c 3000 /dev/zero; sleep 0.2; head -c 2000 /dev/zero; sleep 30'), settings());
    const output = await command.receive(BOTH, 4000, AbortSignal.timeout(5000), 0, new AbortController().signal);
    expect(bytesOf(output)).toBe(4000);
    expect(output.exitCode).toBeUndefined();
  });

  it('still ends at its abort with whatever there is', async () => {
    const command = await start('c1', viaShell('printf one; sleep 30'), settings());
    await waitFor(() => command.bufferedBytes > 0, 'the first output');
    const begun = Date.now();
    const output = await command.receive(BOTH, 1024, AbortSignal.timeout(100), 0, new AbortController().signal);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(80);
    expect(output.chunks.map((chunk) => chunk.data.toString())).toEqual(['one']);
  });
});

describe('CommandProcess launch failures', { timeout: 10_000 }, () => {
  it('rejects with ENOENT for a missing executable', async () => {
    const failure = CommandProcess.start('c1', direct('/nonexistent/winrmd-test'), settings());
    await expect(failure).rejects.toBeInstanceOf(CommandLaunchError);
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT' });
    const error: unknown = await failure.catch((caught: unknown) => caught);
    expect(error instanceof Error ? error.message : '').not.toMatch(/\n\s+at /);
  });

  it('rejects with EINVAL for a program name spawn cannot take', async () => {
    const failure = CommandProcess.start('c1', direct('bad\0name'), settings());
    await expect(failure).rejects.toMatchObject({ name: 'CommandLaunchError', code: 'EINVAL' });
  });

  it('rejects with ENOENT for a missing working directory', async () => {
    const missing = settings({ workingDirectory: '/nonexistent/dir' });
    const failure = CommandProcess.start('c1', viaShell('true'), missing);
    await expect(failure).rejects.toMatchObject({ name: 'CommandLaunchError', code: 'ENOENT' });
  });
});
