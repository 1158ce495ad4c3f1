/**
 * Receive read-ahead in the listener's command proxy (host/read-ahead.ts): against a scripted host,
 * which requests go over the channel and when; against a real shell host in this process, that the
 * client still gets every byte once and in order whatever it asks for.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ToHost } from '../../../host/protocol.js';
import { RemoteShell } from '../../../host/remote-shell.js';
import { inProcessHost } from '../../../host/spawn-host.js';
import { SHELL_SETTINGS as SETTINGS, scriptedCommand } from '../../support/scripted-host.js';
import { ReceiveBusyError } from '../../../shell/errors.js';
import type { CommandOutput, OutputStreamName } from '../../../shell/types.js';

const BOTH = new Set<OutputStreamName>(['stdout', 'stderr']);
const STDOUT = new Set<OutputStreamName>(['stdout']);
const STDERR = new Set<OutputStreamName>(['stderr']);

function output(text: string, exitCode?: number): CommandOutput {
  return { chunks: text === '' ? [] : [{ stream: 'stdout', data: Buffer.from(text) }], endedStreams: [], exitCode };
}

const ops = (sent: readonly ToHost[]): string[] => sent.map((m) => m.op);
const never = new AbortController().signal;

describe('Receive read-ahead', () => {
  it('asks the host for the next output as soon as a Receive is answered with some, and hands it to the next Receive', async () => {
    const { command, sent, answer } = await scriptedCommand();
    const first = command.receive(BOTH, 1000, never);
    answer(sent.at(-1), output('one'));
    expect((await first).chunks[0]?.data.toString()).toBe('one');
    // The read-ahead went out before any second Receive from the client.
    expect(ops(sent).slice(2)).toEqual(['receive', 'receive']);
    answer(sent.at(-1), output('two'));
    const sentBefore = sent.length;
    const second = await command.receive(BOTH, 1000, never);
    expect(second.chunks[0]?.data.toString()).toBe('two');
    expect(sent.length).toBe(sentBefore + 1); // only the next read-ahead
  });

  it('does not read ahead once the exit code is out, nor after a Receive that brought nothing', async () => {
    const done = await scriptedCommand();
    const last = done.command.receive(BOTH, 1000, never);
    done.answer(done.sent.at(-1), output('bye', 0));
    await last;
    expect(ops(done.sent).slice(2)).toEqual(['receive']);
    expect(done.command.isFinished).toBe(true);

    const quiet = await scriptedCommand();
    const empty = quiet.command.receive(BOTH, 1000, never);
    quiet.answer(quiet.sent.at(-1), output(''));
    await empty;
    expect(ops(quiet.sent).slice(2)).toEqual(['receive']);
  });

  it('gives back what was read ahead when the next Receive asks for other streams, before asking again', async () => {
    const { command, sent, answer } = await scriptedCommand();
    const first = command.receive(BOTH, 1000, never);
    answer(sent.at(-1), output('one'));
    await first;
    const ahead = sent.at(-1);
    const second = command.receive(STDERR, 1000, never);
    await Promise.resolve();
    expect(sent.at(-1)).toEqual({ op: 'cancel', id: ahead?.id });
    answer(ahead, output('two'));
    await new Promise((resolve) => setImmediate(resolve));
    const [unreceive, fresh] = sent.slice(-2);
    expect(unreceive).toMatchObject({ op: 'unreceive', commandId: 'C', output: output('two') });
    expect(fresh).toMatchObject({ op: 'receive', streams: ['stderr'] });
    answer(unreceive, undefined);
    answer(fresh, { chunks: [{ stream: 'stderr', data: Buffer.from('E') }], endedStreams: [], exitCode: undefined });
    expect((await second).chunks[0]).toMatchObject({ stream: 'stderr' });
  });

  it('withdraws a read-ahead that holds more than a smaller Receive may take', async () => {
    const { command, sent, answer } = await scriptedCommand();
    const first = command.receive(STDOUT, 1000, never);
    answer(sent.at(-1), output('one'));
    await first;
    const second = command.receive(STDOUT, 10, never);
    await Promise.resolve();
    expect(sent.at(-1)?.op).toBe('cancel');
    answer(sent.at(-2), output(''));
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing was taken, so nothing goes back; the Receive asks with its own size.
    expect(sent.at(-1)).toMatchObject({ op: 'receive', maxBytes: 10 });
    answer(sent.at(-1), output('x'));
    await second;
  });

  it("cancels the read-ahead when the adopting Receive's own wait is over", async () => {
    const { command, sent, answer } = await scriptedCommand();
    const first = command.receive(BOTH, 1000, never);
    answer(sent.at(-1), output('one'));
    await first;
    const timeout = new AbortController();
    const second = command.receive(BOTH, 1000, timeout.signal);
    timeout.abort();
    expect(sent.at(-1)).toEqual({ op: 'cancel', id: sent.at(-2)?.id });
    answer(sent.at(-2), output(''));
    expect((await second).chunks).toEqual([]);
  });

  it('refuses a second Receive while one waits, as the host does', async () => {
    const { command, sent, answer } = await scriptedCommand();
    const first = command.receive(BOTH, 1000, never);
    await expect(command.receive(BOTH, 1000, never)).rejects.toBeInstanceOf(ReceiveBusyError);
    answer(sent.at(-1), output(''));
    await first;
  });

  it('drops the read-ahead when the command is removed', async () => {
    const { shell, command, sent, answer } = await scriptedCommand();
    const first = command.receive(BOTH, 1000, never);
    answer(sent.at(-1), output('one'));
    await first;
    const ahead = sent.at(-1);
    const removing = shell.removeCommand('C');
    expect(ops(sent).slice(-2)).toEqual(['cancel', 'removeCommand']);
    expect(sent.at(-2)).toEqual({ op: 'cancel', id: ahead?.id });
    answer(sent.at(-1), undefined);
    await removing;
  });
});

describe("A command's first Receive, asked ahead", () => {
  it('is asked patiently as soon as the command has started, and answers the Receive without another request', async () => {
    const { command, sent, answer } = await scriptedCommand();
    command.expectReceive?.(BOTH, 1000, 7);
    expect(sent.at(-1)).toMatchObject({ op: 'receive', streams: ['stdout', 'stderr'], maxBytes: 1000, runOverheadBytes: 7, patient: true });
    answer(sent.at(-1), output('hi', 0));
    await Promise.resolve();
    const sentBefore = sent.length;
    const reply = await command.receive(BOTH, 1000, never, 7);
    expect(reply.chunks[0]?.data.toString()).toBe('hi');
    expect(reply.exitCode).toBe(0);
    expect(sent.length).toBe(sentBefore);
    expect(command.isFinished).toBe(true);
  });

  it('is hurried when the Receive comes before its answer', async () => {
    const { command, sent, answer } = await scriptedCommand();
    command.expectReceive?.(BOTH, 1000, 0);
    const ahead = sent.at(-1);
    const receiving = command.receive(BOTH, 1000, never, 0);
    await Promise.resolve();
    expect(sent.at(-1)).toEqual({ op: 'hurry', id: ahead?.id });
    answer(ahead, output('hi'));
    expect((await receiving).chunks[0]?.data.toString()).toBe('hi');
  });

  it('is given back when the Receive asks for other streams', async () => {
    const { command, sent, answer } = await scriptedCommand();
    command.expectReceive?.(BOTH, 1000, 0);
    const ahead = sent.at(-1);
    const receiving = command.receive(STDOUT, 1000, never, 0);
    await Promise.resolve();
    expect(sent.at(-1)).toEqual({ op: 'cancel', id: ahead?.id });
    answer(ahead, output('hi', 0));
    await new Promise((resolve) => setImmediate(resolve));
    const [unreceive, fresh] = sent.slice(-2);
    expect(unreceive).toMatchObject({ op: 'unreceive', output: output('hi', 0) });
    expect(fresh).toMatchObject({ op: 'receive', streams: ['stdout'] });
    expect(fresh).not.toHaveProperty('patient');
    answer(unreceive, undefined);
    answer(fresh, output('hi', 0));
    expect((await receiving).exitCode).toBe(0);
  });

  it('is not asked twice, nor once a Receive has begun', async () => {
    const { command, sent, answer } = await scriptedCommand();
    const receiving = command.receive(BOTH, 1000, never, 0);
    const sentBefore = sent.length;
    command.expectReceive?.(BOTH, 1000, 0);
    expect(sent.length).toBe(sentBefore);
    answer(sent.at(-1), output('', 0));
    await receiving;
    command.expectReceive?.(BOTH, 1000, 0);
    expect(sent.length).toBe(sentBefore);
  });
});

describe('Receive read-ahead with a real shell host', () => {
  it('delivers every byte once and in order while the Receives change streams and sizes', async () => {
    const host = await inProcessHost({ runAs: undefined, heapLimitMb: 64 });
    try {
      const shell = await RemoteShell.open('S', SETTINGS, host.client);
      // Numbered lines on stdout and every tenth on stderr, so any loss, repeat or swap shows. The
      // command then waits for its stdin to close: a Receive for one stream may take the exit code
      // while the other still holds output (that stream is not wanted), which is not this test's matter.
      const script = 'i=0; while [ $i -lt 3000 ]; do echo "out $i"; [ $((i % 10)) -eq 0 ] && echo "err $i" >&2; i=$((i+1)); done; read x || true';
      const command = await shell.startCommand('C', { commandLine: script, executable: '/bin/sh', args: [], skipInterpreter: false });
      const expected: Record<OutputStreamName, string> = {
        stdout: Array.from({ length: 3000 }, (_, i) => `out ${i}\n`).join(''),
        stderr: Array.from({ length: 300 }, (_, i) => `err ${i * 10}\n`).join(''),
      };
      const received: Record<OutputStreamName, Buffer[]> = { stdout: [], stderr: [] };
      const total = (name: OutputStreamName): number => received[name].reduce((sum, data) => sum + data.length, 0);
      const plan: [ReadonlySet<OutputStreamName>, number][] = [
        [BOTH, 4000],
        [BOTH, 4000],
        [STDOUT, 4000],
        [BOTH, 700],
        [STDERR, 4000],
        [BOTH, 4000],
      ];
      const receiveInto = async (streams: ReadonlySet<OutputStreamName>, size: number): Promise<number | undefined> => {
        const reply = await command.receive(streams, size, AbortSignal.timeout(5000));
        expect(reply.chunks.reduce((sum, chunk) => sum + chunk.data.length, 0)).toBeLessThanOrEqual(size);
        for (const chunk of reply.chunks) {
          expect(streams.has(chunk.stream)).toBe(true);
          received[chunk.stream].push(chunk.data);
        }
        return reply.exitCode;
      };
      for (let i = 0; i < 10_000 && (total('stdout') < expected.stdout.length || total('stderr') < expected.stderr.length); i++) {
        const [planned, size] = plan[i % plan.length] ?? [BOTH, 4000];
        // A Receive for a stream that has nothing more would only wait out its timeout.
        const streams = [...planned].some((name) => total(name) < expected[name].length) ? planned : BOTH;
        expect(await receiveInto(streams, size)).toBeUndefined();
      }
      command.endInput();
      let exitCode: number | undefined;
      for (let i = 0; i < 100 && exitCode === undefined; i++) exitCode = await receiveInto(BOTH, 4000);
      expect(exitCode).toBe(0);
      expect(Buffer.concat(received.stdout).toString()).toBe(expected.stdout);
      expect(Buffer.concat(received.stderr).toString()).toBe(expected.stderr);
      await shell.close();
    } finally {
      await host.stop(1000);
    }
  });

  it('answers a command that prints and exits at once in one Receive, output and exit code together', async () => {
    const host = await inProcessHost({ runAs: undefined, heapLimitMb: 64 });
    try {
      const shell = await RemoteShell.open('S', SETTINGS, host.client);
      // The second line comes well after the first: answered at its first output, the read-ahead
      // would leave the exit code to a second Receive.
      const command = await shell.startCommand('C', { commandLine: 'echo one; sleep 0.2; echo two; exit 5', executable: '/bin/sh', args: [], skipInterpreter: false });
      command.expectReceive?.(BOTH, 4000, 0);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const requests = vi.spyOn(host.client, 'request');
      const reply = await command.receive(BOTH, 4000, AbortSignal.timeout(5000), 0);
      // Answered from what was asked ahead: the Receive sent nothing of its own.
      expect(requests).not.toHaveBeenCalled();
      requests.mockRestore();
      expect(Buffer.concat(reply.chunks.map((chunk) => chunk.data)).toString()).toBe('one\ntwo\n');
      expect(reply.exitCode).toBe(5);

      // A command that goes on: the client's Receive hurries the host, which answers at once.
      const running = await shell.startCommand('D', { commandLine: 'echo one; sleep 30', executable: '/bin/sh', args: [], skipInterpreter: false });
      running.expectReceive?.(BOTH, 4000, 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const begun = Date.now();
      const first = await running.receive(BOTH, 4000, AbortSignal.timeout(5000), 0);
      expect(Date.now() - begun).toBeLessThan(2000);
      expect(Buffer.concat(first.chunks.map((chunk) => chunk.data)).toString()).toBe('one\n');
      await shell.close();
    } finally {
      await host.stop(1000);
    }
  });
});
