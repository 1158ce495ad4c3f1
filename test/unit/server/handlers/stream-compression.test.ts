/** rsp:CompressionType xpress on Create: compressed stdin in, framed stdout out, through the dispatcher. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeXpressStream, encodeXpressStream } from '../../../../protocol/winrs/xpress-framing.js';
import { A, must, W, X } from '../../protocol/xml-query.js';
import { client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

/** A Create with the rsp:CompressionType header, as Windows PowerShell sends it. */
function compressedCreate(type = 'xpress'): env.BuiltRequest {
  const request = env.create();
  const header = `<rsp:CompressionType mustUnderstand="true">${type}</rsp:CompressionType>`;
  return { ...request, xml: request.xml.replace('<a:MessageID>', `${header}<a:MessageID>`) };
}

async function compressedShell(): Promise<string> {
  const view = await c.ok(compressedCreate());
  return must(view.body, X('ResourceCreated'), A('ReferenceParameters'), W('SelectorSet'), W('Selector')).text;
}

/** [MS-XCA] 3.2's second example as one framed chunk: "abc" × 100. */
function abcChunk(): Buffer {
  const lengths = Buffer.alloc(256);
  lengths[0x30] = 0x30;
  lengths[0x31] = 0x23;
  lengths[0x80] = 0x02;
  lengths[0x8f] = 0x20;
  const data = Buffer.concat([lengths, Buffer.from('a8dc0000ff2601', 'hex')]);
  const header = Buffer.alloc(4);
  header.writeUInt16LE(299, 0);
  header.writeUInt16LE(data.length - 1, 2);
  return Buffer.concat([header, data]);
}

describe('xpress stream compression', () => {
  it('decompresses Send payloads (Huffman or stored) and frames Receive payloads', async () => {
    const shellId = await compressedShell();
    const commandId = await c.runCommand(shellId, 'cat');
    await c.ok(env.send(shellId, commandId, abcChunk(), false));
    await c.ok(env.send(shellId, commandId, encodeXpressStream(Buffer.from('\nend')), true));
    const drained = await c.receiveAll(shellId, commandId);
    // receiveAll decodes base64 only: each Stream's data is still in the framing.
    const framed = drained.responses.flatMap((r) => r.streams.filter((s) => s.name === 'stdout' && s.data.length > 0).map((s) => s.data));
    const stdout = Buffer.concat(framed.map((f) => decodeXpressStream(f, 1 << 20))).toString();
    expect(stdout).toBe(`${'abc'.repeat(100)}\nend`);
    expect(framed.every((f) => f.readUInt16LE(0) === f.readUInt16LE(2))).toBe(true);
  });

  it('leaves shells that did not ask for it alone', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'printf plain');
    expect((await c.receiveAll(shellId, commandId)).stdout).toBe('plain');
  });

  it('refuses corrupt compressed input without touching the command', async () => {
    const shellId = await compressedShell();
    const commandId = await c.runCommand(shellId, 'cat');
    expectCatalogueFault(await c.fault(env.send(shellId, commandId, Buffer.from([9, 0, 9, 0, 1]), true)), 'invalidParameter');
  });

  it('refuses a compression type it does not know, creating nothing', async () => {
    expectCatalogueFault(await c.fault(compressedCreate('lzma')), 'invalidParameter');
    expect(c.service.shells.size).toBe(0);
  });
});

