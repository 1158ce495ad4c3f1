/**
 * A real shell host process (dist/host/main.js, built by `npm run build`), driven through the
 * listener's proxies: the identity it and its commands get, signals and process groups, the memory
 * limit, and what the listener sees when the host dies.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { HostDiedError } from '../../../host/errors.js';
import { RemoteShell } from '../../../host/remote-shell.js';
import { spawnHost, type HostLaunchOptions, type LaunchedHost } from '../../../host/spawn-host.js';
import { memoryLimitPrefix } from '../../../server/memory-limit.js';
import type { RunAsAccount, ShellSettings } from '../../../shell/types.js';
import { direct, drain, groupIsGone, processGroupOf, programOf, readLine, viaShell, waitFor } from '../shell/helpers.js';

const isRoot = process.getuid?.() === 0;
// nobody/nogroup exist on every Debian system; 100 is "users".
const NOBODY: RunAsAccount = { uid: 65534, gid: 65534, groupIds: [65534, 100], setprivPath: '/usr/bin/setpriv' };

const SETTINGS: ShellSettings = {
  workingDirectory: tmpdir(),
  environment: { PATH: '/usr/bin:/bin' },
  interpreter: ['/bin/sh', '-c'],
  maxBufferedBytes: 1 << 20,
};

const hosts: LaunchedHost[] = [];

async function host(options: Partial<HostLaunchOptions> = {}): Promise<LaunchedHost> {
  const launched = await spawnHost({ runAs: undefined, heapLimitMb: 64, ...options });
  hosts.push(launched);
  return launched;
}

let shellNumber = 0;
function openShell(launched: LaunchedHost, settings: ShellSettings = SETTINGS): Promise<RemoteShell> {
  shellNumber += 1;
  return RemoteShell.open(`SHELL-${shellNumber}`, settings, launched.client);
}

function statusField(pid: number, field: string): string | undefined {
  return new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop(2000)));
});

describe('a shell host', () => {
  it('runs commands and hands their output and exit code back through the proxy', async () => {
    const shell = await openShell(await host());
    const command = await shell.startCommand('C1', viaShell('printf out; printf err >&2; exit 3'));
    expect(shell.commandCount).toBe(1);
    const { stdout, stderr, exitCode } = await drain(command);
    expect([stdout.toString(), stderr.toString(), exitCode]).toEqual(['out', 'err', 3]);
    expect(Buffer.isBuffer(stdout)).toBe(true);
    expect(shell.commandCount).toBe(0);
  });

  it('passes stdin through, in order, then EOF', async () => {
    const shell = await openShell(await host());
    const command = await shell.startCommand('C1', direct('/bin/cat'));
    await command.write(Buffer.from('one '));
    await command.write(Buffer.from('two'));
    command.endInput();
    const { stdout, exitCode } = await drain(command);
    expect([stdout.toString(), exitCode]).toEqual(['one two', 0]);
  });

  it('reports a program that cannot start as a CommandLaunchError', async () => {
    const shell = await openShell(await host());
    await expect(shell.startCommand('C1', direct('/nonexistent/winrmd-program'))).rejects.toMatchObject({ name: 'CommandLaunchError', code: 'ENOENT' });
  });

  it('answers a waiting Receive at once when the listener cancels it', async () => {
    const shell = await openShell(await host());
    const command = await shell.startCommand('C1', direct('/bin/sleep', '30'));
    const abort = new AbortController();
    const waiting = command.receive(new Set(['stdout', 'stderr'] as const), 1024, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toEqual({ chunks: [], endedStreams: [], exitCode: undefined });
  });

  it('does not leak its IPC channel into the commands it starts', async () => {
    const shell = await openShell(await host());
    const command = await shell.startCommand('C1', viaShell('for fd in /proc/$$/fd/*; do echo "${fd##*/} $(readlink "$fd")"; done'));
    const { stdout } = await drain(command);
    const lines = stdout.toString().trim().split('\n');
    // The channel is a Unix socket; so are the command's stdio pipes (libuv makes socketpairs), fds 0-2.
    const sockets = lines.filter((line) => Number(line.split(' ')[0]) > 2 && line.includes('socket:'));
    expect(sockets).toEqual([]);
  });

  it("starts with none of winrmd's environment, and gives its commands exactly the shell's", async () => {
    const launched = await host();
    // What the host was started with (/proc keeps the initial environment): node's channel
    // variables and nothing else, so no WINRMD_ secret nor anything else of the listener's.
    const names = readFileSync(`/proc/${launched.pid ?? 0}/environ`, 'utf8')
      .split('\0')
      .filter((entry) => entry !== '')
      .map((entry) => entry.slice(0, entry.indexOf('=')));
    expect(names.filter((name) => !name.startsWith('NODE_CHANNEL_'))).toEqual([]);
    // env(1) started directly, without a shell that would add variables of its own.
    const shell = await openShell(launched, { ...SETTINGS, environment: { PATH: '/usr/bin:/bin', ONLY_THIS: 'yes' } });
    const { stdout } = await drain(await shell.startCommand('C1', direct('/usr/bin/env')));
    expect(stdout.toString().trim().split('\n').sort()).toEqual(['ONLY_THIS=yes', 'PATH=/usr/bin:/bin']);
  });

  it('limits memory with RLIMIT_DATA: an allocation beyond it fails, and the exit code still arrives', async () => {
    const prefix = memoryLimitPrefix(128, '/usr/bin/prlimit');
    const shell = await openShell(await host({ limitPrefix: prefix }));
    const small = await drain(await shell.startCommand('C1', direct('/usr/bin/python3', '-c', 'x = bytearray(8 << 20); print(len(x))')));
    expect([small.stdout.toString(), small.exitCode]).toEqual(['8388608\n', 0]);
    const big = await drain(await shell.startCommand('C2', direct('/usr/bin/python3', '-c', 'x = bytearray(256 << 20)')));
    expect(big.stderr.toString()).toContain('MemoryError');
    expect(big.exitCode).toBe(1);
  });

  it('fails every pending request with HostDiedError when it dies, and every later one at once', async () => {
    const launched = await host();
    const shell = await openShell(launched);
    const command = await shell.startCommand('C1', direct('/bin/sleep', '30'));
    const waiting = command.receive(new Set(['stdout'] as const), 1024, new AbortController().signal);
    launched.kill();
    await expect(waiting).rejects.toBeInstanceOf(HostDiedError);
    await expect(shell.startCommand('C2', direct('/bin/true'))).rejects.toBeInstanceOf(HostDiedError);
    expect(launched.client.isDead).toBe(true);
    expect(await launched.exited).toBe('signal SIGKILL');
  });

  it('fails to start with HostDiedError (the fault hostFailed), whether its program is missing or exits at once', async () => {
    await expect(spawnHost({ runAs: undefined, heapLimitMb: 64, limitPrefix: ['/nonexistent/winrmd-prlimit'] })).rejects.toBeInstanceOf(HostDiedError);
    await expect(spawnHost({ runAs: undefined, heapLimitMb: 64, limitPrefix: ['/bin/false'] })).rejects.toBeInstanceOf(HostDiedError);
  });

  it('ends its commands and exits when asked to stop', async () => {
    const launched = await host();
    const shell = await openShell(launched);
    const command = await shell.startCommand('C1', viaShell('sleep 60 & echo $!; wait'));
    const background = Number(await readLine(command));
    await launched.stop(5000);
    expect(processGroupOf(background)).toBe(command.pid);
    await waitFor(() => groupIsGone(command.pid), 'the command’s process group, background job included, to end');
  });
});

if (!isRoot) console.warn('host-process.test.ts: not root, so no host can change account: those tests are SKIPPED');

describe.skipIf(!isRoot)('a shell host for another account (root only)', () => {
  it('runs as that account with every capability gone and no_new_privs, and so do its commands', async () => {
    const launched = await host({ runAs: NOBODY });
    const hostPid = launched.pid ?? 0;
    expect(statusField(hostPid, 'Uid')).toBe('65534\t65534\t65534\t65534');
    const shell = await openShell(launched);
    const command = await shell.startCommand('C1', viaShell('id -u; id -g; id -G; grep -E "^(Cap(Eff|Prm|Inh|Amb|Bnd)|NoNewPrivs)" /proc/self/status'));
    const { stdout, exitCode } = await drain(command);
    const [uid, gid, groups, ...rest] = stdout.toString().trim().split('\n');
    expect([uid, gid, groups]).toEqual(['65534', '65534', '65534 100']);
    const caps = rest.filter((line) => line.startsWith('Cap'));
    expect(caps).toHaveLength(5);
    for (const line of caps) expect(line).toMatch(/:\s+0000000000000000$/);
    expect(rest).toContain('NoNewPrivs:\t1');
    expect(exitCode).toBe(0);
    for (const field of ['CapEff', 'CapPrm', 'CapBnd']) expect(statusField(hostPid, field)).toBe('0000000000000000');
  });

  it("keeps the command's own pid and process group, so signals reach it", async () => {
    const shell = await openShell(await host({ runAs: NOBODY }));
    const command = await shell.startCommand('C1', direct('/bin/sleep', '30'));
    await waitFor(() => programOf(command.pid) === 'sleep', 'sleep to start');
    expect(processGroupOf(command.pid)).toBe(command.pid);
    expect(statusField(command.pid, 'Uid')).toBe('65534\t65534\t65534\t65534');
    command.signal('ctrl_c');
    const { exitCode } = await drain(command);
    expect(exitCode).toBe(130);
  });
});
