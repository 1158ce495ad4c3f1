import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';
import { must, RSP } from '../../protocol/xml-query.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('Create', () => {
  it('refuses a resource URI it has no shell for, creating nothing', async () => {
    for (const resourceUri of [
      'http://schemas.microsoft.com/powershell/Microsoft.PowerShell',
      'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
      'http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/Win32_Process',
    ]) {
      const fault = await c.fault(env.create({ resourceUri }));
      // Windows' code and text (pypsrp issue #192), naming the URI.
      expect(fault.wsmanCode).toBe(2150858811);
      expectCatalogueFault(fault, 'unknownResource', [resourceUri]);
    }
    expect(c.service.shells.size).toBe(0);
  });

  it('gives commands the shell’s environment on top of the service’s', async () => {
    const shellId = await c.createShell(ALICE, { environment: { APP_MODE: 'test', 'WITH SPACE': 'a b' } });
    const commandId = await c.runCommand(shellId, 'echo "$APP_MODE|${PATH:+has-path}"');
    expect((await c.receiveAll(shellId, commandId)).stdout).toBe('test|has-path\n');
  });

  it('starts commands in the WorkingDirectory asked for', async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'winrmd-wd-')));
    try {
      const shellId = await c.createShell(ALICE, { workingDirectory: dir });
      const commandId = await c.runCommand(shellId, 'pwd');
      expect((await c.receiveAll(shellId, commandId)).stdout).toBe(`${dir}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts commands in the default directory without a WorkingDirectory', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'pwd -P');
    expect((await c.receiveAll(shellId, commandId)).stdout).toBe(`${await realpath(c.service.defaultWorkingDirectory)}\n`);
  });

  it.each([
    ['a directory that does not exist', '/nonexistent/winrmd/dir'],
    ['a relative path', 'tmp'],
    ['a file', '/etc/passwd'],
    ['a Windows path', 'C:\\Temp'],
  ])('refuses %s as WorkingDirectory', async (_label, workingDirectory) => {
    const fault = await c.fault(env.create({ workingDirectory }));
    expectCatalogueFault(fault, 'invalidDirectory');
    expect(c.service.shells.size).toBe(0);
  });

  it('takes a client-chosen ShellId, once', async () => {
    const shellId = 'C0FFEE00-1111-2222-3333-444455556666';
    expect(await c.createShell(ALICE, { shellId })).toBe(shellId);
    expectCatalogueFault(await c.fault(env.create({ shellId })), 'invalidParameter');
    // Another user cannot take it either, in any case.
    expectCatalogueFault(await c.fault(env.create({ shellId: shellId.toLowerCase() }), BOB), 'invalidParameter');
  });

  it('reports the IdleTimeOut asked for, within Winrs.IdleTimeout', async () => {
    const asked = await c.ok(env.create({ idleTimeout: 'PT600.000S' }));
    expect(must(asked.body, RSP('Shell'), RSP('IdleTimeOut')).text).toBe('PT600.000S');
    const tooLong = await c.ok(env.create({ idleTimeout: 'PT99999S' }));
    expect(must(tooLong.body, RSP('Shell'), RSP('IdleTimeOut')).text).toBe('PT7200.000S');
  });

  it('refuses a malformed Shell body', async () => {
    expectCatalogueFault(await c.fault(env.create({ idleTimeout: 'whenever' })), 'invalidParameter');
    expectCatalogueFault(
      await c.fault(env.request({ action: env.ACTION.create, resourceUri: env.RESOURCE_URI.cmdShell, body: '<rsp:CommandLine/>' })),
      'schemaValidation',
    );
    expect(c.service.shells.size).toBe(0);
  });
});

describe('Create quotas', () => {
  it('refuses a shell beyond Winrs.MaxShellsPerUser with QuotaLimit, per user', async () => {
    const config = await defaultConfig();
    const q = client(makeService({ ...config, 'Winrs.MaxShellsPerUser': 1 }));
    const first = await q.createShell(ALICE);
    const fault = await q.fault(env.create());
    expectCatalogueFault(fault, 'shellQuota');
    expect(fault.subcode).toBe('w:QuotaLimit');
    expect(q.service.shells.size).toBe(1);
    // The quota is per user.
    await q.createShell(BOB);
    // Deleting frees the slot.
    await q.ok(env.deleteShell(first));
    await q.createShell(ALICE);
  });

  it('refuses a new user beyond Winrs.MaxConcurrentUsers', async () => {
    const config = await defaultConfig();
    const q = client(makeService({ ...config, 'Winrs.MaxConcurrentUsers': 1 }));
    await q.createShell(ALICE);
    await q.createShell(ALICE);
    expectCatalogueFault(await q.fault(env.create(), BOB), 'userQuota');
  });

  it('refuses every shell when Winrs.AllowRemoteShellAccess is false', async () => {
    const config = await defaultConfig();
    const q = client(makeService({ ...config, 'Winrs.AllowRemoteShellAccess': false }));
    expectCatalogueFault(await q.fault(env.create()), 'accessDenied');
    expect(q.service.shells.size).toBe(0);
  });
});

describe('concurrent Creates', () => {
  it('give a client-chosen ShellId to one shell only', async () => {
    const shellId = 'C0FFEE00-AAAA-BBBB-CCCC-DDDDEEEEFFFF';
    const results = await Promise.all([
      c.dispatch(env.create({ shellId, workingDirectory: tmpdir() }), ALICE),
      c.dispatch(env.create({ shellId, workingDirectory: tmpdir() }), ALICE),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 500]);
    expect(results.map((r) => r.fault)).toContain('invalidParameter');
    expect(c.service.shells.size).toBe(1);
  });

  it('do not get past Winrs.MaxShellsPerUser together', async () => {
    const config = await defaultConfig();
    const q = client(makeService({ ...config, 'Winrs.MaxShellsPerUser': 1 }));
    const results = await Promise.all([
      q.dispatch(env.create({ workingDirectory: tmpdir() }), ALICE),
      q.dispatch(env.create({ workingDirectory: tmpdir() }), ALICE),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 500]);
    expect(results.map((r) => r.fault)).toContain('shellQuota');
    expect(q.service.shells.listFor('alice')).toHaveLength(1);
  });
});
