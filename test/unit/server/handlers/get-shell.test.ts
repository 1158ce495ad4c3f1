import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { must, RSP } from '../../protocol/xml-query.js';
import { ALICE, BOB, client, CLIENT_IP, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('Get on a shell', () => {
  it.each([
    ['the generic shell resource', env.RESOURCE_URI.anyShell],
    ['the cmd shell resource', env.RESOURCE_URI.cmdShell],
  ])('describes the shell on %s', async (_label, resourceUri) => {
    const shellId = await c.createShell(ALICE, { idleTimeout: 'PT600S' });
    const view = await c.ok(env.getShell(shellId, resourceUri));
    expect(view.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse');
    const shell = must(view.body, RSP('Shell'));
    expect(Object.fromEntries(shell.children.map((e) => [e.name, e.text]))).toMatchObject({
      ShellId: shellId,
      ResourceUri: env.RESOURCE_URI.cmdShell,
      Owner: 'alice',
      ClientIP: CLIENT_IP,
      IdleTimeOut: 'PT600.000S',
      InputStreams: 'stdin',
      OutputStreams: 'stdout stderr',
    });
    expect(must(shell, RSP('ShellRunTime')).text).toMatch(/^P0DT0H0M\d+S$/);
    expect(must(shell, RSP('ShellInactivity')).text).toMatch(/^P0DT0H0M\d+S$/);
  });

  it('does not describe another user’s shell', async () => {
    const shellId = await c.createShell(ALICE);
    expectCatalogueFault(await c.fault(env.getShell(shellId), BOB), 'unknownShell', [shellId]);
  });

  it('refuses a resource that is not a shell', async () => {
    const shellId = await c.createShell(ALICE);
    // (The config URI, once used here, is a resource of its own now: see get-config.test.ts.)
    const wmi = 'http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/Win32_Service';
    expectCatalogueFault(await c.fault(env.getShell(shellId, wmi)), 'unknownResource');
  });
});
