/**
 * A command proxy's stdin (host/remote-shell.ts, RemoteCommand.write): a write resolves once the
 * write before it has been taken, not its own, and a failure still reaches whoever writes or
 * flushes next. Against a scripted host, which answers each write when the test says.
 */
import { describe, expect, it } from 'vitest';
import type { ToHost } from '../../../host/protocol.js';
import { HostDiedError, HostTimeoutError } from '../../../host/errors.js';
import { DEFAULT_DEADLINES } from '../../../host/remote-shell.js';
import { StdinClosedError } from '../../../shell/errors.js';
import { scriptedCommand, type ScriptedCommand } from '../../support/scripted-host.js';

type WriteMessage = Extract<ToHost, { op: 'write' }>;

function writesSent(script: ScriptedCommand): WriteMessage[] {
  return script.sent.filter((message): message is WriteMessage => message.op === 'write');
}

function fail(script: ScriptedCommand, message: ToHost | undefined, name: string): void {
  if (message === undefined) throw new Error('nothing was sent');
  script.client.receive({ id: message.id, ok: false, error: { name, message: `${name} from the scripted host` } });
}

/** Whether `promise` has settled after everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('a command proxy’s stdin', () => {
  it('resolves a write once it is posted, and holds the next until the host has taken the one before', async () => {
    const script = await scriptedCommand();
    await script.command.write(Buffer.from('one'));
    expect(writesSent(script).map((m) => m.data.toString())).toEqual(['one']);

    const second = script.command.write(Buffer.from('two'));
    expect(await settled(second)).toBe(false);
    // Not posted either: at most one write is in flight.
    expect(writesSent(script)).toHaveLength(1);

    script.answer(writesSent(script)[0], undefined);
    await second;
    expect(writesSent(script).map((m) => m.data.toString())).toEqual(['one', 'two']);
  });

  it('waits in flushInput until the write in flight has been taken', async () => {
    const script = await scriptedCommand();
    await script.command.write(Buffer.from('last'));
    const flushed = script.command.flushInput?.();
    if (flushed === undefined) throw new Error('a proxy flushes its input');
    expect(await settled(flushed)).toBe(false);
    script.answer(writesSent(script)[0], undefined);
    await flushed;
    // Nothing is in flight now: another flush resolves at once.
    expect(await settled(script.command.flushInput?.() ?? Promise.reject(new Error('no flush')))).toBe(true);
  });

  it('gives a failed write’s error to the next write, which posts nothing', async () => {
    const script = await scriptedCommand();
    await script.command.write(Buffer.from('one'));
    const second = script.command.write(Buffer.from('two'));
    fail(script, writesSent(script)[0], 'StdinClosedError');
    await expect(second).rejects.toBeInstanceOf(StdinClosedError);
    expect(writesSent(script)).toHaveLength(1);
    // Reported once: a later write goes out again (and meets the host's own answer).
    await script.command.write(Buffer.from('three'));
    expect(writesSent(script).map((m) => m.data.toString())).toEqual(['one', 'three']);
  });

  it('gives a failed write’s error to flushInput', async () => {
    const script = await scriptedCommand();
    await script.command.write(Buffer.from('one'));
    const flushed = script.command.flushInput?.();
    fail(script, writesSent(script)[0], 'Error');
    await expect(flushed).rejects.toThrow('Error from the scripted host');
  });

  it('keeps one write in flight when two Sends for the command wait at once', async () => {
    const script = await scriptedCommand();
    await script.command.write(Buffer.from('zero'));
    const a = script.command.write(Buffer.from('A'));
    const b = script.command.write(Buffer.from('B'));
    script.answer(writesSent(script)[0], undefined);
    await Promise.race([a, b]);
    expect(writesSent(script)).toHaveLength(2);
    // The second waits for the first's write; when that fails, the failure is the second's.
    fail(script, writesSent(script)[1], 'Error');
    const outcomes = await Promise.allSettled([a, b]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(writesSent(script)).toHaveLength(2);
  });

  it('times out the wait, not the write: a write taken late still counts as taken', async () => {
    const script = await scriptedCommand({ ...DEFAULT_DEADLINES, writeMs: 30 });
    await script.command.write(Buffer.from('slow'));
    await expect(script.command.flushInput?.()).rejects.toBeInstanceOf(HostTimeoutError);
    // Still in flight: the next Send waits for it too, and posts nothing of its own meanwhile.
    const meanwhile = script.command.write(Buffer.from('meanwhile'));
    await expect(meanwhile).rejects.toBeInstanceOf(HostTimeoutError);
    expect(writesSent(script)).toHaveLength(1);
    // The command reads at last: the host's answer still settles the write.
    script.answer(writesSent(script)[0], undefined);
    await script.command.write(Buffer.from('next'));
    expect(writesSent(script).map((m) => m.data.toString())).toEqual(['slow', 'next']);
  });

  it('does not time out a write that nobody waits for', async () => {
    const script = await scriptedCommand({ ...DEFAULT_DEADLINES, writeMs: 20 });
    await script.command.write(Buffer.from('slow'));
    // Longer than the deadline with no Send waiting, then the command reads.
    await new Promise((resolve) => setTimeout(resolve, 60));
    script.answer(writesSent(script)[0], undefined);
    await script.command.write(Buffer.from('next'));
    expect(writesSent(script).map((m) => m.data.toString())).toEqual(['slow', 'next']);
  });

  it('fails a write at once when the host is dead', async () => {
    const script = await scriptedCommand();
    script.client.died('gone');
    await expect(script.command.write(Buffer.from('lost'))).rejects.toBeInstanceOf(HostDiedError);
  });

  it('lets a write that nobody waits for fail without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', record);
    try {
      const script = await scriptedCommand();
      await script.command.write(Buffer.from('orphan'));
      fail(script, writesSent(script)[0], 'Error');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
