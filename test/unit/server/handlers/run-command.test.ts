import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { must, RSP } from '../../protocol/xml-query.js';
import { capturingHosts, client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('Command', () => {
  it('runs Command and each Arguments joined by spaces, through the interpreter', async () => {
    const shellId = await c.createShell();
    const view = await c.ok(env.command(shellId, 'printf', ["'%s-%s\\n'", 'a', 'b']));
    const commandId = must(view.body, RSP('CommandResponse'), RSP('CommandId')).text;
    expect((await c.receiveAll(shellId, commandId)).stdout).toBe('a-b\n');
  });

  it("asks the shell host for the command's first Receive as it starts: one that prints and exits is answered whole, without a request of the Receive's own", async () => {
    const { launcher, launched } = capturingHosts();
    const hosted = client(makeService(await defaultConfig(), launcher));
    const shellId = await hosted.createShell();
    const commandId = await hosted.runCommand(shellId, 'echo one; sleep 0.2; echo two; exit 3');
    const host = launched[0];
    if (host === undefined) throw new Error('no shell host was started');
    const requests = vi.spyOn(host.client, 'request');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const drained = await hosted.receiveAll(shellId, commandId);
    expect(drained.responses).toHaveLength(1);
    expect(drained.stdout).toBe('one\ntwo\n');
    expect(drained.exitCode).toBe(3);
    expect(requests.mock.calls.filter(([operation]) => operation.op === 'receive')).toEqual([]);
  });

  it('takes a client-chosen CommandId, and refuses it while in use', async () => {
    const shellId = await c.createShell();
    const chosen = 'FEEDFACE-0000-1111-2222-333344445555';
    const body = `<rsp:CommandLine CommandId="${chosen}"><rsp:Command>sleep 30</rsp:Command></rsp:CommandLine>`;
    const build = (): env.BuiltRequest => env.request({ action: env.ACTION.command, resourceUri: env.RESOURCE_URI.cmdShell, shellId, body });
    const view = await c.ok(build());
    expect(must(view.body, RSP('CommandResponse'), RSP('CommandId')).text).toBe(chosen);
    expectCatalogueFault(await c.fault(build()), 'invalidParameter');
  });

  it('runs several commands in one shell, each with its own output', async () => {
    const shellId = await c.createShell();
    const one = await c.runCommand(shellId, 'echo one');
    const two = await c.runCommand(shellId, 'echo two; exit 2');
    expect(one).not.toBe(two);
    const second = await c.receiveAll(shellId, two);
    const first = await c.receiveAll(shellId, one);
    expect([first.stdout, first.exitCode]).toEqual(['one\n', 0]);
    expect([second.stdout, second.exitCode]).toEqual(['two\n', 2]);
  });

  it('refuses a command beyond Winrs.MaxProcessesPerShell', async () => {
    const config = await defaultConfig();
    const q = client(makeService({ ...config, 'Winrs.MaxProcessesPerShell': 1 }));
    const shellId = await q.createShell();
    await q.runCommand(shellId, 'sleep 30');
    expectCatalogueFault(await q.fault(env.command(shellId, 'echo no')), 'commandQuota');
  });

  it.each([
    ['an empty Command', '<rsp:CommandLine><rsp:Command> </rsp:Command></rsp:CommandLine>', 'invalidParameter'],
    ['a body that is not CommandLine', '<rsp:Shell/>', 'schemaValidation'],
  ] as const)('refuses %s', async (_label, body, name) => {
    const shellId = await c.createShell();
    expectCatalogueFault(await c.fault(env.request({ action: env.ACTION.command, resourceUri: env.RESOURCE_URI.cmdShell, shellId, body })), name);
  });

  it('reports a command that cannot be started with WINRS_SKIP_CMD_SHELL', async () => {
    const shellId = await c.createShell();
    const request = env.request({
      action: env.ACTION.command,
      resourceUri: env.RESOURCE_URI.cmdShell,
      shellId,
      options: { WINRS_SKIP_CMD_SHELL: 'TRUE' },
      body: '<rsp:CommandLine><rsp:Command>/nonexistent/winrmd-no-such-program</rsp:Command></rsp:CommandLine>',
    });
    expectCatalogueFault(await c.fault(request), 'launchFailed');
  });
});
