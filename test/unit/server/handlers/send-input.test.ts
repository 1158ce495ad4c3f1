import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { must, RSP } from '../../protocol/xml-query.js';
import { client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('Send', () => {
  it('feeds stdin of cat, and End closes it', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'cat');
    const sent = await c.ok(env.send(shellId, commandId, Buffer.from('line one\r\n'), false));
    expect(sent.action).toBe('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SendResponse');
    expect(must(sent.body, RSP('SendResponse')).children).toEqual([]);
    await c.ok(env.send(shellId, commandId, Buffer.from('line two'), true));
    const drained = await c.receiveAll(shellId, commandId);
    expect(drained.stdout).toBe('line one\r\nline two');
    expect(drained.exitCode).toBe(0);
  });

  it('passes binary input through byte for byte with console mode FALSE', async () => {
    const shellId = await c.createShell();
    // A console's line discipline would act on the control bytes: binary input needs a pipe.
    const started = await c.ok(env.command(shellId, 'od -An -tx1 -v | tr -d " \\n"', [], false));
    const commandId = must(started.body, RSP('CommandResponse'), RSP('CommandId')).text;
    const bytes = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0d, 0x0a]);
    await c.ok(env.send(shellId, commandId, bytes, true));
    expect((await c.receiveAll(shellId, commandId)).stdout).toBe(bytes.toString('hex'));
  });

  it('passes a large Send byte for byte, its content kept as bytes, and one whose content a comment splits', async () => {
    const shellId = await c.createShell();
    const data = randomBytes(300_000);
    const whole = await c.ok(env.command(shellId, 'sha256sum', [], false));
    const wholeId = must(whole.body, RSP('CommandResponse'), RSP('CommandId')).text;
    await c.ok(env.send(shellId, wholeId, data, true));
    expect((await c.receiveAll(shellId, wholeId)).stdout).toBe(`${sha256(data)}  -\n`);

    // Cut before the comment, the Stream would read as the marker and the rest: parsed whole instead.
    const split = await c.ok(env.command(shellId, 'sha256sum', [], false));
    const splitId = must(split.body, RSP('CommandResponse'), RSP('CommandId')).text;
    const text = data.toString('base64');
    const body = `<rsp:Send><rsp:Stream Name="stdin" CommandId="${splitId}" End="true">${text.slice(0, 200_000)}<!-- a comment -->${text.slice(200_000)}</rsp:Stream></rsp:Send>`;
    await c.ok(env.request({ action: env.ACTION.send, resourceUri: env.RESOURCE_URI.cmdShell, shellId, body }));
    expect((await c.receiveAll(shellId, splitId)).stdout).toBe(`${sha256(data)}  -\n`);
  });

  it('reads a large Send that is no whole base64 as its whole text would: wrapped lines decode, other characters fault', async () => {
    const shellId = await c.createShell();
    const data = randomBytes(300_000);
    const started = await c.ok(env.command(shellId, 'sha256sum', [], false));
    const commandId = must(started.body, RSP('CommandResponse'), RSP('CommandId')).text;
    const wrapped = (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
    const send = (content: string): env.BuiltRequest =>
      env.request({ action: env.ACTION.send, resourceUri: env.RESOURCE_URI.cmdShell, shellId, body: `<rsp:Send><rsp:Stream Name="stdin" CommandId="${commandId}">${content}</rsp:Stream></rsp:Send>` });
    expectCatalogueFault(await c.fault(send(`${'QUJD'.repeat(70_000)}*QUJD`)), 'schemaValidation');
    await c.ok(send(wrapped));
    await c.ok(env.send(shellId, commandId, Buffer.alloc(0), true));
    expect((await c.receiveAll(shellId, commandId)).stdout).toBe(`${sha256(data)}  -\n`);
  });

  it('accepts an empty Stream with End as plain EOF', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'wc -c');
    await c.ok(env.send(shellId, commandId, Buffer.alloc(0), true));
    expect((await c.receiveAll(shellId, commandId)).stdout.trim()).toBe('0');
  });

  it('drops input for a process that has stopped reading, as Windows does', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'exit 0');
    await c.receiveAll(shellId, commandId);
    await c.ok(env.send(shellId, commandId, Buffer.alloc(64 * 1024, 0x61), true));
  });

  it('refuses stream content that is not base64', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'cat');
    const request = env.request({
      action: env.ACTION.send,
      resourceUri: env.RESOURCE_URI.cmdShell,
      shellId,
      body: `<rsp:Send><rsp:Stream Name="stdin" CommandId="${commandId}">not base64!</rsp:Stream></rsp:Send>`,
    });
    expectCatalogueFault(await c.fault(request), 'schemaValidation');
  });

  it('refuses input for a command that does not exist', async () => {
    const shellId = await c.createShell();
    expectCatalogueFault(await c.fault(env.send(shellId, 'ABCDEF00-0000-0000-0000-000000000000', Buffer.from('x'), true)), 'unknownCommand');
  });
});
