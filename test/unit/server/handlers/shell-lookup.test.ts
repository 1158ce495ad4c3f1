import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isResource } from '../../../../server/handlers/shell-lookup.js';
import { ALICE, BOB, client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('another user’s shell', () => {
  it('is reported to bob exactly as a shell that does not exist, and alice’s shell keeps working', async () => {
    const shellId = await c.createShell(ALICE);
    const commandId = await c.runCommand(shellId, 'sleep 30');
    const missing = '00000000-0000-0000-0000-000000000000';

    const probes: [string, (id: string) => env.BuiltRequest][] = [
      ['Command', (id) => env.command(id, 'id')],
      ['Receive', (id) => env.receive(id, commandId)],
      ['Send', (id) => env.send(id, commandId, Buffer.from('x'), true)],
      ['Signal', (id) => env.signal(id, commandId)],
      ['Get', (id) => env.getShell(id)],
      ['Delete', (id) => env.deleteShell(id)],
    ];
    for (const [label, build] of probes) {
      const onAlices = await c.fault(build(shellId), BOB);
      const onNothing = await c.fault(build(missing), BOB);
      expect(onAlices.wsmanCode, label).toBe(2150858843);
      expectCatalogueFault(onAlices, 'unknownShell', [shellId]);
      // Same fault in every respect but the ShellId it names.
      expect({ ...onAlices, envelope: undefined, message: onAlices.message.replace(shellId, 'ID'), reason: onAlices.reason.replace(shellId, 'ID') }).toEqual({
        ...onNothing,
        envelope: undefined,
        message: onNothing.message.replace(missing, 'ID'),
        reason: onNothing.reason.replace(missing, 'ID'),
      });
    }

    // Bob's attempts changed nothing: alice's shell and command are alive.
    expect(c.service.shells.size).toBe(1);
    await c.ok(env.signal(shellId, commandId, env.SIGNAL.terminate), ALICE);
    const again = await c.runCommand(shellId, 'echo still here', ALICE);
    expect((await c.receiveAll(shellId, again, ALICE)).stdout).toBe('still here\n');
  });

  it('finds the owner’s shell whatever the case of the owner name or the ShellId', async () => {
    const shellId = await c.createShell(ALICE);
    const upper = { ...ALICE, name: 'ALICE' };
    expect((await c.ok(env.getShell(shellId.toLowerCase()), upper)).body.children).toHaveLength(1);
  });
});

describe('the ShellId selector', () => {
  it.each<[string, (shellId: string | undefined) => env.BuiltRequest]>([
    ['Command', (id) => env.request({ action: env.ACTION.command, resourceUri: env.RESOURCE_URI.cmdShell, shellId: id, body: '<rsp:CommandLine><rsp:Command>id</rsp:Command></rsp:CommandLine>' })],
    ['Receive', (id) => env.request({ action: env.ACTION.receive, resourceUri: env.RESOURCE_URI.cmdShell, shellId: id, body: '<rsp:Receive><rsp:DesiredStream CommandId="C">stdout</rsp:DesiredStream></rsp:Receive>' })],
    ['Send', (id) => env.request({ action: env.ACTION.send, resourceUri: env.RESOURCE_URI.cmdShell, shellId: id, body: '<rsp:Send><rsp:Stream Name="stdin" CommandId="C">QQ==</rsp:Stream></rsp:Send>' })],
    ['Signal', (id) => env.request({ action: env.ACTION.signal, resourceUri: env.RESOURCE_URI.cmdShell, shellId: id, body: '<rsp:Signal CommandId="C"><rsp:Code>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate</rsp:Code></rsp:Signal>' })],
    ['Delete', (id) => env.request({ action: env.ACTION.delete, resourceUri: env.RESOURCE_URI.cmdShell, shellId: id })],
    ['Get', (id) => env.request({ action: env.ACTION.get, resourceUri: env.RESOURCE_URI.anyShell, shellId: id })],
  ])('is required by %s (2150858842 when absent or empty)', async (_label, build) => {
    await c.createShell();
    expectCatalogueFault(await c.fault(build(undefined)), 'missingSelector');
    expectCatalogueFault(await c.fault(build('')), 'missingSelector');
    expect((await c.fault(build(undefined))).wsmanCode).toBe(2150858842);
  });

  it('must be named ShellId: another selector does not count', async () => {
    const shellId = await c.createShell();
    expectCatalogueFault(
      await c.fault(env.request({ action: env.ACTION.get, resourceUri: env.RESOURCE_URI.anyShell, shellId, selectorName: 'Id' })),
      'missingSelector',
    );
  });

  it.each(['ShellID', 'shellid', 'SHELLID'])('is found when named %s', async (selectorName) => {
    const shellId = await c.createShell();
    await c.ok(env.request({ action: env.ACTION.get, resourceUri: env.RESOURCE_URI.anyShell, shellId, selectorName }));
  });
});

describe('the cmd shell resource', () => {
  it.each([
    ['Command', (id: string) => env.request({ action: env.ACTION.command, resourceUri: 'http://schemas.microsoft.com/powershell/Microsoft.PowerShell', shellId: id, body: '<rsp:CommandLine><rsp:Command>id</rsp:Command></rsp:CommandLine>' })],
    ['Delete', (id: string) => env.request({ action: env.ACTION.delete, resourceUri: 'http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/Win32_Service', shellId: id })],
  ])('is required by %s', async (_label, build) => {
    const shellId = await c.createShell();
    expectCatalogueFault(await c.fault(build(shellId)), 'unknownResource');
    expect(c.service.shells.size).toBe(1);
  });

  it('must be named: no ResourceURI is a missing header', async () => {
    const shellId = await c.createShell();
    expectCatalogueFault(await c.fault(env.request({ action: env.ACTION.delete, shellId })), 'missingHeader');
  });

  it('is matched without regard to case', async () => {
    const shellId = await c.createShell();
    await c.ok(env.request({ action: env.ACTION.delete, resourceUri: env.RESOURCE_URI.cmdShell.toUpperCase(), shellId }));
    expect(c.service.shells.size).toBe(0);
  });
});

describe('isResource', () => {
  it.each<[string | undefined, string[], boolean]>([
    ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd', ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd'], true],
    ['HTTP://SCHEMAS.MICROSOFT.COM/WBEM/WSMAN/1/WINDOWS/SHELL/CMD', ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd'], true],
    ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell', ['urn:a', 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell'], true],
    ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd/', ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd'], false],
    [undefined, ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd'], false],
    ['urn:a', [], false],
  ])('%s in %j is %s', (actual, expected, result) => {
    expect(isResource(actual, ...expected)).toBe(result);
  });
});
