import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_STATE } from '../../../../protocol/winrs/uris.js';
import { readEnvelope } from '../../protocol/xml-query.js';
import { ALICE, client, closeServices, defaultConfig, expectCatalogueFault, makeService, readReceive, type Client, type ReceiveView } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('Receive', () => {
  it('times out with w:TimedOut (2150858793) after OperationTimeout when there is nothing to say', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 3');
    const started = Date.now();
    const fault = await c.fault(env.receive(shellId, commandId, { operationTimeout: 'PT0.5S' }));
    const waited = Date.now() - started;
    expect(fault.wsmanCode).toBe(2150858793);
    expectCatalogueFault(fault, 'timedOut');
    expect(fault.code).toBe('s:Receiver');
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(2_500);
  });

  it('answers as soon as output arrives, well before OperationTimeout', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 0.2; echo late; sleep 5');
    const started = Date.now();
    const result = await c.dispatch(env.receive(shellId, commandId, { operationTimeout: 'PT20S' }), ALICE);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(result.status).toBe(200);
    const view = readReceive(readEnvelope(result.xml), result.xml);
    expect(Buffer.concat(view.streams.map((s) => s.data)).toString()).toBe('late\n');
    expect(view.state).toBe(COMMAND_STATE.running);
    expect(view.exitCode).toBeUndefined();
  });

  it('returns only the streams asked for, and still reports Done', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'echo out; echo err >&2');
    const views: ReceiveView[] = [];
    for (let i = 0; i < 4 && views.at(-1)?.state !== COMMAND_STATE.done; i++) {
      const result = await c.dispatch(env.receive(shellId, commandId, { streams: 'stdout', operationTimeout: 'PT0.5S' }), ALICE);
      if (result.status === 200) views.push(readReceive(readEnvelope(result.xml), result.xml));
      else expect(result.fault).toBe('timedOut');
    }
    const streams = views.flatMap((v) => v.streams);
    expect(streams.every((s) => s.name === 'stdout')).toBe(true);
    expect(Buffer.concat(streams.map((s) => s.data)).toString()).toBe('out\n');
    // A client that reads only stdout must still learn that the command ended.
    expect(views.at(-1)?.state).toBe(COMMAND_STATE.done);
    expect(views.at(-1)?.exitCode).toBe(0);
  });

  it('keeps every response within MaxEnvelopeSize, splitting large output', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'head -c 20000 /dev/zero | tr "\\0" "x"');
    const drained = await c.receiveAll(shellId, commandId, ALICE, { maxEnvelopeSize: 8192 });
    expect(drained.stdout).toBe('x'.repeat(20_000));
    expect(drained.responses.length).toBeGreaterThan(2);
    for (const response of drained.responses) expect(Buffer.byteLength(response.raw)).toBeLessThanOrEqual(8192);
  });

  it('reports the exit code again to a Receive after Done', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'exit 7');
    expect((await c.receiveAll(shellId, commandId)).exitCode).toBe(7);
    const again = await c.ok(env.receive(shellId, commandId));
    const view = readReceive(again, '');
    expect(view.state).toBe(COMMAND_STATE.done);
    expect(view.exitCode).toBe(7);
  });

  it.each([
    ['a CommandId that was never issued', (shellId: string) => env.receive(shellId, 'ABCDEF00-0000-0000-0000-000000000000')],
    [
      'no DesiredStream CommandId',
      (shellId: string) =>
        env.request({ action: env.ACTION.receive, resourceUri: env.RESOURCE_URI.cmdShell, shellId, body: '<rsp:Receive><rsp:DesiredStream>stdout</rsp:DesiredStream></rsp:Receive>' }),
    ],
  ])('answers %s with the unknown command fault', async (_label, build) => {
    const shellId = await c.createShell();
    expectCatalogueFault(await c.fault(build(shellId)), 'unknownCommand');
  });

  it('refuses a second Receive while one is waiting on the same command', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 3');
    const first = c.dispatch(env.receive(shellId, commandId, { operationTimeout: 'PT0.5S' }), ALICE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expectCatalogueFault(await c.fault(env.receive(shellId, commandId, { operationTimeout: 'PT0.5S' })), 'resourceBusy');
    expect((await first).fault).toBe('timedOut');
  });
});
