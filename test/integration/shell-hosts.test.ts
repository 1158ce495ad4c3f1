/**
 * Issue 5, the shell hosts: each user's shells live in a host process of their own (winrmd's
 * wsmprovhost), so that killing alice's leaves bob's untouched; Windows' quotas, each refused with
 * Windows' fault; and shells that end — deleted, abandoned past Winrs.IdleTimeout — leave no
 * process, pty or descriptor behind. The account tests need root (real Linux accounts, made and
 * removed here); the quota tests run anywhere, in the service-account mode.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectWsmanFault, isAlive } from '../support/expect-helpers.js';
import { accountFacts, createAccount, IS_ROOT, removeAccount, uniquePrefix } from '../support/linux-accounts.js';
import { descriptorsOf, processesOf, ptysOf } from '../support/proc-census.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

const UNKNOWN_SHELL = 2150858843;
const HOST_FAILED = 1726;

/** Starts `sh -c 'echo $$; exec sleep 100'` and returns the pid it printed. */
async function startSleeper(client: WsmanClient, shellId: string): Promise<{ commandId: string; pid: number }> {
  const commandId = await client.runCommand(shellId, 'echo $$; exec sleep 100');
  let printed = '';
  while (!printed.includes('\n')) printed += (await client.receive(shellId, commandId)).stdout.toString();
  return { commandId, pid: Number(printed.trim()) };
}

/** The pid the log gave for `user`'s shell host when it started (the last one, if several). */
function hostPidOf(server: RunningServer, user: string): number | undefined {
  const started = server
    .logs()
    .filter((line) => line.includes('"event":"shell-host-started"'))
    .map((line) => JSON.parse(line) as { user?: string; pid?: number })
    .filter((entry) => entry.user === user);
  return started.at(-1)?.pid;
}

function clientFor(server: RunningServer, user: TestUser): WsmanClient {
  return new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: user.name, password: user.password });
}

function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

describe('quotas, each refused with Windows’ fault', () => {
  const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
  const BOB: TestUser = { name: 'bob', password: 'B0b-Pa55word!', groups: ['Administrators'] };
  let server: RunningServer | undefined;
  const clients: WsmanClient[] = [];

  function client(user: TestUser): WsmanClient {
    if (server === undefined) throw new Error('no server');
    const made = clientFor(server, user);
    clients.push(made);
    return made;
  }

  beforeAll(async () => {
    server = await startServer({
      users: [ALICE, BOB],
      sets: [
        'Winrs.MaxShellsPerUser=2',
        'Winrs.MaxConcurrentUsers=1',
        'Winrs.MaxProcessesPerShell=2',
        'Service.MaxConcurrentOperationsPerUser=3',
        'Winrs.MaxMemoryPerShellMB=128',
      ],
    });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('Winrs.MaxShellsPerUser and Winrs.MaxConcurrentUsers, then MaxProcessesPerShell and MaxConcurrentOperationsPerUser', async () => {
    const alice = client(ALICE);
    const first = await alice.createShell({ noProfile: true });
    const second = await alice.createShell({ noProfile: true });
    const shells = await expectWsmanFault(alice.createShell({ noProfile: true }));
    expect([shells.code, shells.subcode]).toEqual([2150859173, 'w:QuotaLimit']);
    const users = await expectWsmanFault(client(BOB).createShell({ noProfile: true }));
    expect([users.code, users.subcode]).toEqual([2150859179, 'w:QuotaLimit']);

    // Two unfinished commands fill the shell; a third is refused.
    const a = await alice.runCommand(first, 'sleep 30');
    const b = await alice.runCommand(first, 'sleep 30');
    const processes = await expectWsmanFault(alice.runCommand(first, 'true'));
    expect([processes.code, processes.subcode]).toEqual([2150859174, 'w:QuotaLimit']);

    // Three Receives waiting (one per command, each on its own connection) are alice's three
    // operations; a fourth request is refused, here a Command in her second shell, which has room.
    const c = await alice.runCommand(second, 'sleep 30');
    const targets: [string, string][] = [[first, a], [first, b], [second, c]];
    const waiting = targets.map(([shellId, commandId]) => client(ALICE).receive(shellId, commandId, 5).catch((e: unknown) => e));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const operations = await expectWsmanFault(alice.runCommand(second, 'true'));
    expect([operations.code, operations.subcode]).toEqual([2150859174, 'w:QuotaLimit']);
    await Promise.all(waiting);
    await alice.deleteShell(first);
    await alice.deleteShell(second);
  });

  it('Winrs.MaxMemoryPerShellMB: an allocation beyond it fails in the command, whose exit code still arrives', async () => {
    const alice = client(ALICE);
    const id = await alice.createShell({ noProfile: true });
    const small = await alice.run(id, '/usr/bin/python3 -c "x = bytearray(16 << 20); print(len(x))"');
    expect([small.stdout.toString(), small.exitCode]).toEqual(['16777216\n', 0]);
    const big = await alice.run(id, '/usr/bin/python3 -c "x = bytearray(512 << 20)"');
    expect(big.stderr.toString()).toContain('MemoryError');
    expect(big.exitCode).toBe(1);
  });
});

describe('a hung host', () => {
  const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
  const BOB: TestUser = { name: 'bob', password: 'B0b-Pa55word!', groups: ['Administrators'] };

  it('gives its user a fault (1726) past the Receive’s OperationTimeout instead of a hang, and is killed; other users are untouched', async () => {
    const server = await startServer({ users: [ALICE, BOB] });
    const alice = clientFor(server, ALICE);
    const bob = clientFor(server, BOB);
    let hostPid: number | undefined;
    try {
      const aliceShell = await alice.createShell({ noProfile: true });
      const bobShell = await bob.createShell({ noProfile: true });
      const sleeper = await startSleeper(alice, aliceShell);
      hostPid = hostPidOf(server, 'alice');
      expect(hostPid).toBeDefined();
      if (hostPid === undefined) return;
      process.kill(hostPid, 'SIGSTOP');
      // OperationTimeout 2 s: the host cannot answer the cancel either, so the listener gives up.
      const fault = await expectWsmanFault(alice.receive(aliceShell, sleeper.commandId, 2));
      expect(fault.code).toBe(HOST_FAILED);
      // ... and kills it, so that its commands end with it rather than with the idle timeout.
      const hungPid = hostPid;
      expect(await eventually(() => !isAlive(hungPid), 5000)).toBe(true);
      expect(await eventually(() => !isAlive(sleeper.pid), 5000)).toBe(true);
      expect((await bob.run(bobShell, 'echo fine')).stdout.toString()).toBe('fine\n');
      // Alice's next shell lives in a new host; the old shell went with the old host.
      const again = await alice.createShell({ noProfile: true });
      const parent = Number((await alice.run(again, 'echo $PPID')).stdout.toString());
      expect(parent).toBe(hostPidOf(server, 'alice'));
      expect(parent).not.toBe(hungPid);
      const gone = await expectWsmanFault(alice.runCommand(aliceShell, 'true'));
      expect(gone.code).toBe(UNKNOWN_SHELL);
    } finally {
      if (hostPid !== undefined && isAlive(hostPid)) process.kill(hostPid, 'SIGCONT');
      alice.close();
      bob.close();
      await server.stop();
    }
  });
});

describe('the host’s lifetime and its memory limit', () => {
  const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
  let server: RunningServer | undefined;
  let alice: WsmanClient | undefined;

  beforeAll(async () => {
    server = await startServer({ users: [ALICE], sets: ['Winrs.MaxMemoryPerShellMB=128'] });
    alice = clientFor(server, ALICE);
  });

  afterAll(async () => {
    alice?.close();
    await server?.stop();
  });

  function client(): WsmanClient {
    if (alice === undefined) throw new Error('no client');
    return alice;
  }

  /** The shell host's pid, seen from inside the shell: the parent of the interpreter. */
  async function hostOf(shellId: string): Promise<number> {
    return Number((await client().run(shellId, 'echo $PPID')).stdout.toString());
  }

  /** RLIMIT_DATA of the shell's commands, as sh's ulimit reports it (KiB). */
  async function dataLimitOf(shellId: string): Promise<string> {
    return (await client().run(shellId, 'ulimit -d')).stdout.toString().trim();
  }

  it('keeps the host for a shell created within the linger after the last one was deleted', async () => {
    const first = await client().createShell({ noProfile: true });
    const host = await hostOf(first);
    await client().deleteShell(first);
    const second = await client().createShell({ noProfile: true });
    expect(await hostOf(second)).toBe(host);
    await client().deleteShell(second);
    // Past the linger (2 s) it goes, and the next shell gets a new one.
    expect(await eventually(() => !isAlive(host), 8000)).toBe(true);
    const third = await client().createShell({ noProfile: true });
    expect(await hostOf(third)).not.toBe(host);
    await client().deleteShell(third);
  });

  it('applies a Put of Winrs.MaxMemoryPerShellMB to hosts started afterwards, not to the running one', async () => {
    const CONFIG = 'http://schemas.microsoft.com/wbem/wsman/1/config/winrs';
    const before = await client().createShell({ noProfile: true });
    const host = await hostOf(before);
    expect(await dataLimitOf(before)).toBe(String(128 * 1024));
    await client().soap({
      action: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Put',
      resourceUri: CONFIG,
      body: `<cfg:Winrs xmlns:cfg="${CONFIG}"><cfg:MaxMemoryPerShellMB>256</cfg:MaxMemoryPerShellMB></cfg:Winrs>`,
    });
    // A shell in the running host shares its limit.
    const sameHost = await client().createShell({ noProfile: true });
    expect(await hostOf(sameHost)).toBe(host);
    expect(await dataLimitOf(sameHost)).toBe(String(128 * 1024));
    await client().deleteShell(before);
    await client().deleteShell(sameHost);
    expect(await eventually(() => !isAlive(host), 8000)).toBe(true);
    const after = await client().createShell({ noProfile: true });
    expect(await hostOf(after)).not.toBe(host);
    expect(await dataLimitOf(after)).toBe(String(256 * 1024));
    await client().deleteShell(after);
  });
});

if (!IS_ROOT) console.warn('shell-hosts.test.ts: not root, so no Linux accounts can be made: the host-isolation tests are SKIPPED');

describe.skipIf(!IS_ROOT)('one shell host per user, as that user', () => {
  const prefix = uniquePrefix();
  const ALICE_OS = `${prefix}a`;
  const BOB_OS = `${prefix}b`;
  const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'], osUser: ALICE_OS };
  const BOB: TestUser = { name: 'bob', password: 'B0b-Pa55word!', groups: ['Administrators'], osUser: BOB_OS };
  let server: RunningServer | undefined;
  let aliceUid = 0;

  function running(): RunningServer {
    if (server === undefined) throw new Error('no server');
    return server;
  }

  beforeAll(async () => {
    await createAccount(ALICE_OS);
    await createAccount(BOB_OS);
    aliceUid = (await accountFacts(ALICE_OS)).uid;
    server = await startServer({
      users: [ALICE, BOB],
      runAsServiceAccount: false,
      sets: ['Winrs.MaxShellsPerUser=100', 'Winrs.IdleTimeout=3000'],
    });
  });

  afterAll(async () => {
    await server?.stop();
    await removeAccount(ALICE_OS);
    await removeAccount(BOB_OS);
  });

  it('killing alice’s host faults her requests and forgets her shells, while bob’s shell keeps working', async () => {
    const alice = clientFor(running(), ALICE);
    const bob = clientFor(running(), BOB);
    try {
      const aliceShell = await alice.createShell({ noProfile: true });
      const bobShell = await bob.createShell({ noProfile: true });
      const sleeper = await startSleeper(alice, aliceShell);
      const hostPid = hostPidOf(running(), 'alice');
      expect(hostPid).toBeDefined();
      if (hostPid === undefined) return;
      expect(uidOf(hostPid)).toBe(aliceUid);
      expect(hostPidOf(running(), 'bob')).not.toBe(hostPid);

      const waiting = expectWsmanFault(alice.receive(aliceShell, sleeper.commandId, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(hostPid, 'SIGKILL');
      const inFlight = await waiting;
      expect(inFlight.code).toBe(HOST_FAILED);
      expect(await eventually(() => !isAlive(sleeper.pid), 3000)).toBe(true);
      const later = await expectWsmanFault(alice.runCommand(aliceShell, 'true'));
      expect(later.code).toBe(UNKNOWN_SHELL);

      expect((await bob.run(bobShell, 'echo still here')).stdout.toString()).toBe('still here\n');
      // Alice gets a fresh host at her next Create.
      const again = await alice.createShell({ noProfile: true });
      expect((await alice.run(again, 'id -u')).stdout.toString()).toBe(`${aliceUid}\n`);
      await alice.deleteShell(again);
      await bob.deleteShell(bobShell);
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('removes an idle shell and its processes after Winrs.IdleTimeout, and then the host', async () => {
    const alice = clientFor(running(), ALICE);
    try {
      const shellId = await alice.createShell({ noProfile: true });
      const sleeper = await startSleeper(alice, shellId);
      expect(await eventually(() => !isAlive(sleeper.pid), 8000)).toBe(true);
      const fault = await expectWsmanFault(alice.runCommand(shellId, 'true'));
      expect(fault.code).toBe(UNKNOWN_SHELL);
      expect(await eventually(() => processesOf(aliceUid).length === 0, 8000)).toBe(true);
    } finally {
      alice.close();
    }
  });

  it('leaves no process, pty or descriptor after a hundred shells created and abandoned or deleted', async () => {
    const winrmd = running().pid;
    expect(await eventually(() => processesOf(aliceUid).length === 0, 8000)).toBe(true);
    const descriptorsBefore = descriptorsOf(winrmd).length;
    const alice = clientFor(running(), ALICE);
    const shells: string[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const shellId = await alice.createShell({ noProfile: true });
        // Each shell's command is a process group of its own; half also leave a background job.
        await alice.runCommand(shellId, i % 2 === 0 ? 'sleep 100' : 'sleep 100 & sleep 100');
        shells.push(shellId);
      }
      expect(processesOf(aliceUid).length).toBeGreaterThan(100);
      // Half are deleted; the other half are abandoned to the idle timeout.
      for (const shellId of shells.slice(0, 50)) await alice.deleteShell(shellId).catch(() => undefined);
    } finally {
      alice.close();
    }
    expect(await eventually(() => processesOf(aliceUid).length === 0, 15000)).toBe(true);
    expect(ptysOf(winrmd)).toEqual([]);
    // Keep-alive connections close as the client goes; then winrmd holds what it held before.
    expect(await eventually(() => descriptorsOf(winrmd).length <= descriptorsBefore, 10000)).toBe(true);
  });
});
