/**
 * The listener's side of the host channel, against a scripted host: replies matched by id, errors
 * rebuilt as the handlers know them, a Receive cancelled when its AbortSignal fires, deadlines,
 * and host death failing every pending request.
 */
import { describe, expect, it } from 'vitest';
import { HostClient } from '../../../host/host-client.js';
import { HostDiedError, HostTimeoutError, UnknownTargetError } from '../../../host/errors.js';
import type { HostResults, ToHost } from '../../../host/protocol.js';
import { RemoteShell } from '../../../host/remote-shell.js';
import type { CommandHandle } from '../../../shell/types.js';
import { inProcessHost } from '../../../host/spawn-host.js';
import { CommandIdInUseError, CommandLaunchError, ReceiveBusyError, StdinClosedError } from '../../../shell/errors.js';

const SETTINGS = { workingDirectory: '/', environment: {}, interpreter: ['/bin/sh', '-c'], maxBufferedBytes: 1024 };
const STDOUT = new Set(['stdout'] as const);

/** A client whose messages land in `sent`, for the test to answer as the host would. */
function scripted(): { client: HostClient; sent: ToHost[] } {
  const sent: ToHost[] = [];
  const client = new HostClient((message) => {
    sent.push(message);
  });
  return { client, sent };
}

function idOf(message: ToHost | undefined): number {
  if (message === undefined) throw new Error('nothing was sent');
  return message.id;
}

/** A RemoteShell opened over a scripted client, answering each request as the test says. */
async function scriptedShell(): Promise<{
  client: HostClient;
  sent: ToHost[];
  shell: RemoteShell;
  answer: (value: HostResults[keyof HostResults]) => void;
  start: (id: string, pid: number) => Promise<CommandHandle>;
}> {
  const { client, sent } = scripted();
  const answer = (value: HostResults[keyof HostResults]): void => {
    client.receive({ id: idOf(sent.at(-1)), ok: true, value });
  };
  const opening = RemoteShell.open('S', SETTINGS, client);
  answer(undefined);
  const shell = await opening;
  const start = async (id: string, pid: number): Promise<CommandHandle> => {
    const starting = shell.startCommand(id, { commandLine: 'x', executable: 'x', args: [], skipInterpreter: false });
    answer({ pid });
    return starting;
  };
  return { client, sent, shell, answer, start };
}

describe('HostClient', () => {
  it('matches replies to requests by id, whatever their order', async () => {
    const { client, sent } = scripted();
    const first = client.request({ op: 'startCommand', shellId: 'S', commandId: 'A', launch: { commandLine: 'a', executable: 'a', args: [], skipInterpreter: false } });
    const second = client.request({ op: 'startCommand', shellId: 'S', commandId: 'B', launch: { commandLine: 'b', executable: 'b', args: [], skipInterpreter: false } });
    client.receive({ id: idOf(sent[1]), ok: true, value: { pid: 22 } });
    client.receive({ id: idOf(sent[0]), ok: true, value: { pid: 11 } });
    await expect(first).resolves.toEqual({ pid: 11 });
    await expect(second).resolves.toEqual({ pid: 22 });
    expect(client.pendingCount).toBe(0);
  });

  it('rebuilds the shell errors the handlers turn into faults, and hides the rest', async () => {
    const { client, sent } = scripted();
    const replies = [
      { name: 'CommandLaunchError', code: 'ENOENT', message: 'cannot start x: ENOENT' },
      { name: 'StdinClosedError', message: 'the input of command C is closed' },
      { name: 'ReceiveBusyError', message: 'command C already has a receive waiting' },
      { name: 'TypeError', message: 'boom' },
    ];
    const results = replies.map(() => client.request({ op: 'endInput', shellId: 'S', commandId: 'C' }).catch((error: unknown) => error));
    replies.forEach((error, index) => {
      client.receive({ id: idOf(sent[index]), ok: false, error });
    });
    const [launch, stdin, busy, other] = await Promise.all(results);
    expect(launch).toBeInstanceOf(CommandLaunchError);
    expect(launch).toMatchObject({ code: 'ENOENT', message: 'cannot start x: ENOENT' });
    expect(stdin).toBeInstanceOf(StdinClosedError);
    expect(busy).toBeInstanceOf(ReceiveBusyError);
    expect(other).toBeInstanceOf(Error);
    expect(other).not.toBeInstanceOf(TypeError);
  });

  it('rebuilds a missing shell or command, and a CommandId in use, with the id the fault names', async () => {
    const { client, sent } = scripted();
    const replies = [
      { name: 'UnknownTargetError', code: 'shell', target: 'SHELL-1', message: 'shell SHELL-1 does not exist in the shell host' },
      { name: 'UnknownTargetError', code: 'command', target: 'CMD-1', message: 'command CMD-1 does not exist in the shell host' },
      { name: 'CommandIdInUseError', target: 'CMD-2', message: 'command CMD-2 already exists in shell SHELL-1' },
    ];
    const results = replies.map(() => client.request({ op: 'endInput', shellId: 'S', commandId: 'C' }).catch((error: unknown) => error));
    replies.forEach((error, index) => {
      client.receive({ id: idOf(sent[index]), ok: false, error });
    });
    const [shell, command, inUse] = await Promise.all(results);
    expect(shell).toBeInstanceOf(UnknownTargetError);
    expect(shell).toMatchObject({ target: 'shell', targetId: 'SHELL-1' });
    expect(command).toBeInstanceOf(UnknownTargetError);
    expect(command).toMatchObject({ target: 'command', targetId: 'CMD-1' });
    expect(inUse).toBeInstanceOf(CommandIdInUseError);
    expect(inUse).toMatchObject({ commandId: 'CMD-2', message: 'command CMD-2 already exists in shell SHELL-1' });
  });

  it('gets those errors from a real host server, across the wire and back', async () => {
    const host = await inProcessHost({ runAs: undefined, heapLimitMb: 64 });
    try {
      const noShell = host.client.request({ op: 'signal', shellId: 'NO-SUCH-SHELL', commandId: 'C', signal: 'ctrl_c' });
      await expect(noShell).rejects.toMatchObject({ name: 'UnknownTargetError', target: 'shell', targetId: 'NO-SUCH-SHELL' });
      await host.client.request({ op: 'openShell', shellId: 'S', settings: SETTINGS });
      const noCommand = host.client.request({ op: 'endInput', shellId: 'S', commandId: 'NO-SUCH-COMMAND' });
      await expect(noCommand).rejects.toMatchObject({ name: 'UnknownTargetError', target: 'command', targetId: 'NO-SUCH-COMMAND' });
      // Two starts of one CommandId, the second sent while the first is still starting.
      const launch = { commandLine: 'sleep 30', executable: 'sleep', args: [], skipInterpreter: false };
      const first = host.client.request({ op: 'startCommand', shellId: 'S', commandId: 'TWICE', launch });
      const second = host.client.request({ op: 'startCommand', shellId: 'S', commandId: 'twice', launch });
      await expect(second).rejects.toBeInstanceOf(CommandIdInUseError);
      await expect(first).resolves.toMatchObject({ pid: expect.any(Number) as unknown });
    } finally {
      await host.stop(1000);
    }
  });

  it('sends a cancel for a Receive when its signal fires, and takes the answer the host then gives', async () => {
    const { client, sent } = scripted();
    const abort = new AbortController();
    const receiving = client.request({ op: 'receive', shellId: 'S', commandId: 'C', streams: ['stdout'], maxBytes: 10, runOverheadBytes: 0 }, { abort: abort.signal });
    expect(sent).toHaveLength(1);
    abort.abort();
    expect(sent[1]).toEqual({ op: 'cancel', id: idOf(sent[0]) });
    client.receive({ id: idOf(sent[0]), ok: true, value: { chunks: [], endedStreams: [], exitCode: undefined } });
    await expect(receiving).resolves.toEqual({ chunks: [], endedStreams: [], exitCode: undefined });
  });

  it('gives up on a cancelled Receive the host does not answer within the grace', async () => {
    const { client } = scripted();
    const abort = new AbortController();
    const receiving = client.request({ op: 'receive', shellId: 'S', commandId: 'C', streams: ['stdout'], maxBytes: 10, runOverheadBytes: 0 }, { abort: abort.signal, graceMs: 10 });
    abort.abort();
    await expect(receiving).rejects.toBeInstanceOf(HostTimeoutError);
    expect(client.pendingCount).toBe(0);
  });

  it('calls the host unresponsive when a cancelled Receive goes unanswered past the grace, and only then', async () => {
    const { client, sent } = scripted();
    const hangs: string[] = [];
    client.onUnresponsive = (reason) => {
      hangs.push(reason);
    };
    const receive = { op: 'receive', shellId: 'S', commandId: 'C', streams: ['stdout'], maxBytes: 10, runOverheadBytes: 0 } as const;
    // Answered within the grace: a healthy host.
    const answered = new AbortController();
    const first = client.request(receive, { abort: answered.signal, graceMs: 10 });
    answered.abort();
    client.receive({ id: idOf(sent[0]), ok: true, value: { chunks: [], endedStreams: [], exitCode: undefined } });
    await first;
    // A deadline passing is not a hang by itself (a write waits on a command that does not read).
    await expect(client.request({ op: 'write', shellId: 'S', commandId: 'C', data: Buffer.from('x') }, { deadlineMs: 10 })).rejects.toBeInstanceOf(HostTimeoutError);
    expect(hangs).toEqual([]);
    // Not answered: hung.
    const ignored = new AbortController();
    const second = client.request(receive, { abort: ignored.signal, graceMs: 10 });
    ignored.abort();
    await expect(second).rejects.toBeInstanceOf(HostTimeoutError);
    expect(hangs).toHaveLength(1);
    expect(hangs[0]).toMatch(/cancel/);
    // Opening a shell takes the host no more than a turn of its event loop: late is hung too.
    await expect(client.request({ op: 'openShell', shellId: 'S', settings: SETTINGS }, { deadlineMs: 10, lateMeansHung: true })).rejects.toBeInstanceOf(HostTimeoutError);
    expect(hangs).toHaveLength(2);
    expect(hangs[1]).toMatch(/openShell/);
  });

  it('fails a request the host does not answer by its deadline, and ignores a late answer', async () => {
    const { client, sent } = scripted();
    const request = client.request({ op: 'signal', shellId: 'S', commandId: 'C', signal: 'ctrl_c' }, { deadlineMs: 10 });
    await expect(request).rejects.toBeInstanceOf(HostTimeoutError);
    client.receive({ id: idOf(sent[0]), ok: true, value: undefined });
    expect(client.pendingCount).toBe(0);
  });

  it('fails every pending request when the host dies, and every later one at once, sending nothing', async () => {
    const { client, sent } = scripted();
    const pending = [
      client.request({ op: 'receive', shellId: 'S', commandId: 'C', streams: ['stdout'], maxBytes: 10, runOverheadBytes: 0 }, { abort: new AbortController().signal }),
      client.request({ op: 'write', shellId: 'S', commandId: 'C', data: Buffer.from('x') }),
    ];
    client.died('signal SIGKILL');
    for (const request of pending) await expect(request).rejects.toBeInstanceOf(HostDiedError);
    const count = sent.length;
    await expect(client.request({ op: 'closeShell', shellId: 'S' })).rejects.toThrow(/SIGKILL/);
    expect(sent).toHaveLength(count);
  });

  it('treats a channel that throws on send as a dead host', async () => {
    const client = new HostClient(() => {
      throw new Error('channel closed');
    });
    await expect(client.request({ op: 'closeShell', shellId: 'S' })).rejects.toBeInstanceOf(HostDiedError);
    expect(client.isDead).toBe(true);
  });
});

describe('RemoteShell', () => {
  it('mirrors commands locally: count and lookup without a round trip, finished once the exit code is out', async () => {
    const { client, sent } = scripted();
    const opening = RemoteShell.open('S', SETTINGS, client);
    client.receive({ id: idOf(sent[0]), ok: true, value: undefined });
    const shell = await opening;
    const starting = shell.startCommand('CMD-1', { commandLine: 'x', executable: 'x', args: [], skipInterpreter: false });
    client.receive({ id: idOf(sent[1]), ok: true, value: { pid: 4321 } });
    const command = await starting;
    expect(command.pid).toBe(4321);
    expect(shell.command('cmd-1')).toBe(command);
    expect(shell.commandCount).toBe(1);
    const sentBefore = sent.length;
    expect(shell.commandCount).toBe(1);
    expect(sent).toHaveLength(sentBefore);
    const receiving = command.receive(STDOUT, 100, new AbortController().signal);
    // A structured clone may deliver a Buffer as a plain Uint8Array; the proxy must hand out Buffers.
    const cloned = new Uint8Array([104, 105]) as Buffer;
    client.receive({ id: idOf(sent.at(-1)), ok: true, value: { chunks: [{ stream: 'stdout', data: cloned }], endedStreams: ['stdout'], exitCode: 0 } });
    const output = await receiving;
    expect(Buffer.isBuffer(output.chunks[0]?.data)).toBe(true);
    expect(output.chunks[0]?.data.toString()).toBe('hi');
    expect(command.isFinished).toBe(true);
    expect(shell.commandCount).toBe(0);
  });

  it('reports for killing only the process groups that may still hold processes', async () => {
    const { client, shell, answer, start } = await scriptedShell();
    const done = await start('DONE', 101);
    await start('RUNNING', 102);
    const removed = await start('REMOVED', 103);
    expect(shell.processGroups().sort()).toEqual([101, 102, 103]);
    // The exit code has gone out: the host saw the process exit and both its pipes close.
    const receiving = done.receive(STDOUT, 100, new AbortController().signal);
    answer({ chunks: [], endedStreams: ['stdout'], exitCode: 0 });
    await receiving;
    expect(shell.processGroups().sort()).toEqual([102, 103]);
    // A removal counts only once the host has confirmed it: until then the group may still run.
    const removing = shell.removeCommand(removed.id);
    expect(shell.command(removed.id)).toBeUndefined();
    expect(shell.processGroups().sort()).toEqual([102, 103]);
    answer(undefined);
    await removing;
    expect(shell.processGroups()).toEqual([102]);
    // A shell closed after its host died keeps them, for the owner to kill (server/shell-hosts.ts).
    client.died('killed');
    await shell.close();
    expect(shell.processGroups()).toEqual([102]);
  });

  it('removes a command whose exit code went out without waiting for the host, and ignores its failure', async () => {
    const { client, sent, shell, answer, start } = await scriptedShell();
    const done = await start('DONE', 101);
    const receiving = done.receive(STDOUT, 100, new AbortController().signal);
    answer({ chunks: [], endedStreams: ['stdout'], exitCode: 0 });
    await receiving;
    // Resolves with the host's answer still outstanding; the request went out all the same.
    await shell.removeCommand('DONE');
    expect(sent.at(-1)).toMatchObject({ op: 'removeCommand', commandId: 'DONE' });
    expect(shell.command('DONE')).toBeUndefined();
    client.receive({ id: idOf(sent.at(-1)), ok: false, error: { name: 'Error', message: 'gone' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(shell.processGroups()).toEqual([]);
  });

  it('has no process group left to kill once the host has confirmed the shell closed', async () => {
    const { client, sent } = scripted();
    const opening = RemoteShell.open('S', SETTINGS, client);
    client.receive({ id: idOf(sent[0]), ok: true, value: undefined });
    const shell = await opening;
    const starting = shell.startCommand('C', { commandLine: 'x', executable: 'x', args: [], skipInterpreter: false });
    client.receive({ id: idOf(sent[1]), ok: true, value: { pid: 7 } });
    await starting;
    const closing = shell.close();
    client.receive({ id: idOf(sent[2]), ok: true, value: undefined });
    await closing;
    expect(shell.processGroups()).toEqual([]);
  });

  it("waits for a new host's answer to its first shell, and for no later one", async () => {
    const { client, sent } = scripted();
    let firstOpened = false;
    const first = RemoteShell.open('S1', SETTINGS, client).then((shell) => {
      firstOpened = true;
      return shell;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(firstOpened).toBe(false);
    client.receive({ id: idOf(sent[0]), ok: true, value: undefined });
    await first;
    // The host has answered: the next shell is the proxy at once, its opening still unanswered,
    // and what is asked of it goes on the channel after the opening.
    const second = await RemoteShell.open('S2', SETTINGS, client);
    expect(sent.at(-1)).toMatchObject({ op: 'openShell', shellId: 'S2' });
    const starting = second.startCommand('C', { commandLine: 'x', executable: 'x', args: [], skipInterpreter: false });
    expect(sent.map((message) => message.op)).toEqual(['openShell', 'openShell', 'startCommand']);
    // A failed opening is ignored (the host is then ended as dead or hung); the proxy meets it later.
    client.receive({ id: idOf(sent[1]), ok: false, error: { name: 'Error', message: 'cannot' } });
    client.receive({ id: idOf(sent[2]), ok: false, error: { name: 'UnknownTargetError', code: 'shell', target: 'S2', message: 'no shell S2' } });
    await expect(starting).rejects.toBeInstanceOf(UnknownTargetError);
  });

  it('answers the close of a shell with no command left at once, and of one with a command only once the host has closed it', async () => {
    const { client, sent, shell, answer, start } = await scriptedShell();
    const running = await start('RUNNING', 5);
    expect(running.pid).toBe(5);
    let closed = false;
    const closing = shell.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.at(-1)).toMatchObject({ op: 'closeShell' });
    expect(closed).toBe(false);
    answer(undefined);
    await closing;

    const other = await scriptedShell();
    const done = await other.start('DONE', 6);
    const receiving = done.receive(STDOUT, 100, new AbortController().signal);
    other.answer({ chunks: [], endedStreams: ['stdout'], exitCode: 0 });
    await receiving;
    await other.shell.removeCommand('DONE');
    // Neither the removal nor the close is answered: nothing of the shell may still run.
    await other.shell.close();
    expect(other.sent.map((message) => message.op)).toEqual(['openShell', 'startCommand', 'receive', 'removeCommand', 'closeShell']);
    expect(client.isDead).toBe(false);
  });

  it('closes without asking a dead host, and reports the close once', async () => {
    const { client, sent } = scripted();
    const opening = RemoteShell.open('S', SETTINGS, client);
    client.receive({ id: idOf(sent[0]), ok: true, value: undefined });
    const shell = await opening;
    let closed = 0;
    shell.onClosed = () => {
      closed += 1;
    };
    client.died('gone');
    await shell.close();
    await shell.close();
    expect(sent).toHaveLength(1);
    expect(closed).toBe(1);
    expect(shell.isClosed()).toBe(true);
  });
});
