/**
 * The host pool: one host per (account, user), shared by that user's shells, stopped after the
 * last one closes, and a host's end reported with the ids of the shells it took along. Hosts here
 * are in-process (inProcessHost) with a launcher that counts them.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HostTimeoutError } from '../../../host/errors.js';
import { HostClient } from '../../../host/host-client.js';
import { inProcessHost, type HostLauncher, type LaunchedHost } from '../../../host/spawn-host.js';
import { ShellCgroups } from '../../../server/shell-cgroups.js';
import { ShellHosts } from '../../../server/shell-hosts.js';
import { drain, viaShell, waitFor } from '../shell/helpers.js';
import { fakeHierarchy, WINRMD_CGROUP } from './fake-cgroup-fs.js';

const log = pino({ level: 'silent' });
const SETTINGS = { workingDirectory: tmpdir(), environment: { PATH: '/usr/bin:/bin' }, interpreter: ['/bin/sh', '-c'], maxBufferedBytes: 1024 };

function pool(
  lingerMs = 10,
  base: HostLauncher = inProcessHost,
): { hosts: ShellHosts; launched: LaunchedHost[]; died: { ids: readonly string[]; reason: string }[]; killedGroups: number[] } {
  const launched: LaunchedHost[] = [];
  const died: { ids: readonly string[]; reason: string }[] = [];
  // Recorded, not sent: the groups are the test's to check (an in-process host ends its own).
  const killedGroups: number[] = [];
  const launcher: HostLauncher = async (options) => {
    const host = await base(options);
    launched.push(host);
    return host;
  };
  const hosts = new ShellHosts({
    launcher,
    log,
    heapLimitMb: 64,
    lingerMs,
    limitPrefix: () => undefined,
    onHostDied: (ids, reason) => {
      died.push({ ids, reason });
    },
    killGroup: (pid) => {
      killedGroups.push(pid);
    },
  });
  return { hosts, launched, died, killedGroups };
}

/**
 * A host that opens shells and starts commands (made-up pids from 4242) but never answers a Receive or
 * its cancel (with `firstHostAnswersNothing`, the first host answers nothing at all): stopped, or
 * stuck. It records its kill, and its kill is its death.
 */
function hangingLauncher(firstHostAnswersNothing = false): { launcher: HostLauncher; kills: number[] } {
  const kills: number[] = [];
  let hostNumber = 0;
  const launcher: HostLauncher = () => {
    hostNumber += 1;
    const number = hostNumber;
    let nextPid = 4242; // Never signalled: the pool records its kills (killGroup).
    let markExited: (reason: string) => void = () => undefined;
    const exited = new Promise<string>((resolve) => {
      markExited = resolve;
    });
    const client: HostClient = new HostClient((message) => {
      if (message.op === 'receive' || message.op === 'cancel') return;
      if (firstHostAnswersNothing && number === 1) return;
      const value = message.op === 'startCommand' ? { pid: nextPid++ } : undefined;
      queueMicrotask(() => {
        client.receive({ id: message.id, ok: true, value });
      });
    });
    const kill = (): void => {
      kills.push(number);
      client.died('the shell host ended (signal SIGKILL)');
      markExited('signal SIGKILL');
    };
    const stop = (): Promise<void> => {
      kill();
      return Promise.resolve();
    };
    return Promise.resolve({ pid: undefined, client, exited, stop, kill });
  };
  return { launcher, kills };
}

afterEach(() => {
  vi.useRealTimers();
});

const alice = { user: 'alice', uid: 1001, runAs: undefined };
const bob = { user: 'bob', uid: 1002, runAs: undefined };

describe('ShellHosts', () => {
  it('gives each user a host of their own, shared by that user’s shells (names compared without case)', async () => {
    const { hosts, launched } = pool();
    await hosts.openShell(alice, 'A1', SETTINGS);
    await hosts.openShell({ ...alice, user: 'ALICE' }, 'A2', SETTINGS);
    await hosts.openShell(bob, 'B1', SETTINGS);
    expect(launched).toHaveLength(2);
    expect(hosts.size).toBe(2);
    await hosts.closeAll();
  });

  it('stops a host once its last shell has closed and the linger has passed', async () => {
    const { hosts, launched } = pool(10);
    const first = await hosts.openShell(alice, 'A1', SETTINGS);
    const second = await hosts.openShell(alice, 'A2', SETTINGS);
    await first.close();
    expect(hosts.size).toBe(1);
    await second.close();
    const host = launched[0];
    expect(await host?.exited).toBe('stopped');
    expect(hosts.size).toBe(0);
    // The next shell gets a new host.
    await hosts.openShell(alice, 'A3', SETTINGS);
    expect(launched).toHaveLength(2);
    await hosts.closeAll();
  });

  it('reports the shells a dead host took with it, and starts a new one for the next shell', async () => {
    const { hosts, launched, died } = pool();
    await hosts.openShell(alice, 'A1', SETTINGS);
    await hosts.openShell(alice, 'A2', SETTINGS);
    const bobShell = await hosts.openShell(bob, 'B1', SETTINGS);
    launched[0]?.kill();
    await launched[0]?.exited;
    expect(died).toEqual([{ ids: ['A1', 'A2'], reason: 'killed' }]);
    expect(bobShell.isClosed()).toBe(false);
    await hosts.openShell(alice, 'A3', SETTINGS);
    expect(launched).toHaveLength(3);
    await hosts.closeAll();
  });

  it('kills a host that lets a cancelled Receive go unanswered, ends its shells, and starts a new host for the next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { launcher, kills } = hangingLauncher();
    const { hosts, launched, died, killedGroups } = pool(10, launcher);
    const shell = await hosts.openShell(alice, 'A1', SETTINGS);
    const command = await shell.startCommand('C1', { commandLine: 'sleep 30', executable: 'sleep', args: [], skipInterpreter: false });
    const abort = new AbortController();
    const receiving = command.receive(new Set(['stdout'] as const), 1024, abort.signal).catch((error: unknown) => error);
    // The Receive's OperationTimeout: the listener asks the host to answer now; it does not.
    abort.abort();
    expect(kills).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await receiving).toBeInstanceOf(HostTimeoutError);
    expect(kills).toEqual([1]);
    expect(died).toEqual([{ ids: ['A1'], reason: 'signal SIGKILL' }]);
    expect(killedGroups).toEqual([command.pid]);
    expect(hosts.size).toBe(0);
    vi.useRealTimers();
    await hosts.openShell(alice, 'A2', SETTINGS);
    expect(launched).toHaveLength(2);
    await hosts.closeAll();
  });

  it('keeps a shell that reuses the id of one just deleted, whose close the host confirms after', async () => {
    const { hosts, launched, died } = pool(20);
    const first = await hosts.openShell(alice, 'X', SETTINGS);
    // Answered at once (nothing runs in it), before the host has confirmed the close.
    await first.close();
    const second = await hosts.openShell(alice, 'X', SETTINGS);
    const command = await second.startCommand('C', viaShell('sleep 5'));
    let ended = false;
    void launched[0]?.exited.then(() => {
      ended = true;
    });
    // Longer than the host's linger: were the old close taken for the new shell's, the host would stop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ended).toBe(false);
    expect(died).toEqual([]);
    expect(second.command('C')).toBe(command);
    await hosts.closeAll();
  });

  it('kills a host that does not answer the opening of a shell by the deadline, and opens the next shell in a new one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { launcher, kills } = hangingLauncher(true);
    const { hosts, launched } = pool(10, launcher);
    const opening = hosts.openShell(alice, 'A1', SETTINGS).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await opening).toBeInstanceOf(HostTimeoutError);
    expect(kills).toEqual([1]);
    vi.useRealTimers();
    await hosts.openShell(alice, 'A2', SETTINGS);
    expect(launched).toHaveLength(2);
    await hosts.closeAll();
  });

  it('after a host dies, kills the process groups of its unfinished commands and of none that finished', async () => {
    const { hosts, launched, killedGroups } = pool();
    const shell = await hosts.openShell(alice, 'A1', SETTINGS);
    const finished = await shell.startCommand('DONE', { commandLine: 'true', executable: 'true', args: [], skipInterpreter: false });
    let exitCode: number | undefined;
    while (exitCode === undefined) ({ exitCode } = await finished.receive(new Set(['stdout', 'stderr'] as const), 1024, new AbortController().signal));
    const running = await shell.startCommand('RUNNING', { commandLine: 'sleep 30', executable: 'sleep', args: [], skipInterpreter: false });
    launched[0]?.kill();
    await launched[0]?.exited;
    // The finished command's pid may belong to anyone by now: it must not be signalled.
    expect(killedGroups).toEqual([running.pid]);
  });

  it('after a host dies, kills the commands of a shell still closing whose id a new shell took', async () => {
    // A host that opens shells and starts commands but never confirms a close.
    let markExited: (reason: string) => void = () => undefined;
    const exited = new Promise<string>((resolve) => {
      markExited = resolve;
    });
    const client: HostClient = new HostClient((message) => {
      if (message.op === 'closeShell' || message.op === 'receive' || message.op === 'cancel') return;
      const value = message.op === 'startCommand' ? { pid: 4242 } : undefined;
      queueMicrotask(() => {
        client.receive({ id: message.id, ok: true, value });
      });
    });
    // As spawn-host.ts orders it: the exit is seen first, and the channel fails from there.
    void exited.then((reason) => {
      client.died(`the shell host ended (${reason})`);
    });
    const kill = (): void => {
      markExited('signal SIGKILL');
    };
    const stop = (): Promise<void> => {
      kill();
      return Promise.resolve();
    };
    const launcher: HostLauncher = () => Promise.resolve({ pid: undefined, client, exited, stop, kill });
    const { hosts, killedGroups } = pool(10, launcher);
    const first = await hosts.openShell(alice, 'X', SETTINGS);
    await first.startCommand('RUNNING', { commandLine: 'sleep 30', executable: 'sleep', args: [], skipInterpreter: false });
    // Its command may run: the close waits for the host, which never answers.
    void first.close();
    await hosts.openShell(alice, 'X', SETTINGS);
    kill();
    await exited;
    await new Promise((resolve) => setImmediate(resolve));
    expect(killedGroups).toEqual([4242]);
  });

  it('reuses the host for a shell opened within the linger after the last one closed', async () => {
    const { hosts, launched } = pool(60_000);
    const first = await hosts.openShell(alice, 'A1', SETTINGS);
    await first.close();
    await hosts.openShell(alice, 'A2', SETTINGS);
    expect(launched).toHaveLength(1);
    expect(hosts.size).toBe(1);
    await hosts.closeAll();
  });

  it('starts each host with the memory limit in force at that moment (a Put applies to later hosts)', async () => {
    const prefixes: (readonly string[] | undefined)[] = [];
    let limit: readonly string[] | undefined = ['/usr/bin/prlimit', '--data=134217728', '--'];
    const launcher: HostLauncher = (options) => {
      prefixes.push(options.limitPrefix);
      return inProcessHost(options);
    };
    const hosts = new ShellHosts({ launcher, log, heapLimitMb: 64, lingerMs: 10, limitPrefix: () => limit, onHostDied: () => undefined });
    await hosts.openShell(alice, 'A1', SETTINGS);
    limit = ['/usr/bin/prlimit', '--data=268435456', '--'];
    // Alice's running host keeps its limit; bob's, started now, gets the new one.
    await hosts.openShell(alice, 'A2', SETTINGS);
    await hosts.openShell(bob, 'B1', SETTINGS);
    expect(prefixes).toEqual([
      ['/usr/bin/prlimit', '--data=134217728', '--'],
      ['/usr/bin/prlimit', '--data=268435456', '--'],
    ]);
    await hosts.closeAll();
  });

  describe('with shell memory cgroups (a temporary directory standing in for the hierarchy)', () => {
    const roots: string[] = [];
    afterEach(() => {
      for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
    });

    /** Shell hosts in this process that put themselves and their shells in `groups`. */
    function hostsWithCgroups(groups: ShellCgroups, limitBytes: number | undefined): ShellHosts {
      // An in-process host has no pid of its own; the test's pid stands in for the host's.
      const launcher: HostLauncher = async (options) => ({ ...(await inProcessHost(options)), pid: process.pid });
      return new ShellHosts({
        launcher,
        log,
        heapLimitMb: 64,
        lingerMs: 10,
        limitPrefix: () => undefined,
        cgroups: { groups, limitBytes: () => limitBytes },
        onHostDied: () => undefined,
      });
    }

    it('puts the host in its cgroup, each shell’s commands in the shell’s, and removes them as they end', async () => {
      const { root, fs } = fakeHierarchy(roots);
      const groups = ShellCgroups.setUp(fs, { procSelfCgroup: `0::/${WINRMD_CGROUP}\n`, isRoot: true, delegation: () => undefined }, log);
      if (typeof groups === 'string') throw new Error(groups);
      const hosts = hostsWithCgroups(groups, 256 * 1024 * 1024);
      const shell = await hosts.openShell(alice, 'A1', SETTINGS);
      const base = join(root, WINRMD_CGROUP);
      const [hostGroup = ''] = fs.children(WINRMD_CGROUP).filter((name) => name.startsWith('host-'));
      expect(readFileSync(join(base, hostGroup, 'host', 'cgroup.procs'), 'utf8')).toBe(`${process.pid}\n`);
      const [shellGroup = ''] = fs.children(`${WINRMD_CGROUP}/${hostGroup}`).filter((name) => name !== 'host');
      expect(readFileSync(join(base, hostGroup, shellGroup, 'memory.max'), 'utf8')).toBe(String(256 * 1024 * 1024));

      const command = await shell.startCommand('C1', viaShell('echo $$'));
      const result = await drain(command);
      expect(result.stdout.toString().trim()).toBe(String(command.pid));
      expect(readFileSync(join(base, hostGroup, shellGroup, 'cgroup.procs'), 'utf8').trim()).toBe(String(command.pid));

      await shell.close();
      await waitFor(() => !existsSync(join(base, hostGroup, shellGroup)), 'the shell cgroup to go');
      await waitFor(() => !existsSync(join(base, hostGroup)), 'the host cgroup to go after the linger');
    });

    it('opens shells without a cgroup when there is no limit (0)', async () => {
      const { fs } = fakeHierarchy(roots);
      const groups = ShellCgroups.setUp(fs, { procSelfCgroup: `0::/${WINRMD_CGROUP}\n`, isRoot: true, delegation: () => undefined }, log);
      if (typeof groups === 'string') throw new Error(groups);
      const hosts = hostsWithCgroups(groups, undefined);
      await hosts.openShell(alice, 'A1', SETTINGS);
      const [hostGroup = ''] = fs.children(WINRMD_CGROUP).filter((name) => name.startsWith('host-'));
      expect(fs.children(`${WINRMD_CGROUP}/${hostGroup}`)).toEqual(['host']);
      await hosts.closeAll();
    });
  });
});
