import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { client, closeServices, defaultConfig, expectCatalogueFault, makeService, readReceive, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('Signal', () => {
  it('terminate ends a running command and frees its CommandId', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 30');
    const started = Date.now();
    await c.ok(env.signal(shellId, commandId, env.SIGNAL.terminate));
    expect(Date.now() - started).toBeLessThan(5_000);
    expectCatalogueFault(await c.fault(env.receive(shellId, commandId)), 'unknownCommand');
    expect(c.service.shells.listFor('alice')[0]?.session.commandCount).toBe(0);
  });

  it('ctrl_c interrupts a command, which then reports Done', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'echo ready; sleep 30');
    // Wait until the interpreter is past its start: a SIGINT that reaches sh before it has started
    // `sleep` is only acted on once `sleep` ends.
    const first = readReceive(await c.ok(env.receive(shellId, commandId)), '');
    expect(Buffer.concat(first.streams.map((s) => s.data)).toString()).toBe('ready\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await c.ok(env.signal(shellId, commandId, env.SIGNAL.ctrlC));
    const drained = await c.receiveAll(shellId, commandId);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(drained.exitCode).not.toBe(0);
  });

  it.each([
    ['an unknown code', 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/kill', 'invalidParameter'],
    ['a PowerShell code on the cmd shell', 'powershell/signal/crtl_c', 'invalidParameter'],
  ] as const)('refuses %s', async (_label, code, name) => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 30');
    expectCatalogueFault(await c.fault(env.signal(shellId, commandId, code)), name);
  });

  it('refuses a signal for a command that does not exist', async () => {
    const shellId = await c.createShell();
    expectCatalogueFault(await c.fault(env.signal(shellId, 'ABCDEF00-0000-0000-0000-000000000000')), 'unknownCommand');
  });
});
