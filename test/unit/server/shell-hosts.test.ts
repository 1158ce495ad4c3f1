/**
 * The host pool: one host per (account, user), shared by that user's shells, stopped after the
 * last one closes, and a host's end reported with the ids of the shells it took along. Hosts here
 * are in-process (inProcessHost) with a launcher that counts them.
 */
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { inProcessHost, type HostLauncher, type LaunchedHost } from '../../../host/spawn-host.js';
import { ShellHosts } from '../../../server/shell-hosts.js';

const log = pino({ level: 'silent' });
const SETTINGS = { workingDirectory: tmpdir(), environment: { PATH: '/usr/bin:/bin' }, interpreter: ['/bin/sh', '-c'], maxBufferedBytes: 1024 };

function pool(lingerMs = 10): { hosts: ShellHosts; launched: LaunchedHost[]; died: { ids: readonly string[]; reason: string }[] } {
  const launched: LaunchedHost[] = [];
  const died: { ids: readonly string[]; reason: string }[] = [];
  const launcher: HostLauncher = async (options) => {
    const host = await inProcessHost(options);
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
  });
  return { hosts, launched, died };
}

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
});
