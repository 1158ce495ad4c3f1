/**
 * Hostile and broken requests: each gets a SOAP fault (HTTP 500, parseable s:Fault with a numeric
 * WSManFault Code) or the HTTP status noted, leaks no internals, and leaves the server serving.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { leaks } from '../support/expect-helpers.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import {
  ACTION,
  NS,
  WsmanClient,
  buildEnvelope,
  faultOf,
  parseXml,
  type EnvelopeOptions,
  type FaultInfo,
  type HttpReply,
} from '../support/wsman-client.js';

/**
 * Expected faults, in one place so they are easy to adjust. `subcode: null` asserts no subcode;
 * `codes: []` accepts any numeric WSManFault Code (structure only).
 */
interface Expected {
  subcode: string | null;
  codes: readonly number[];
}
const EXPECTED = {
  /** ERROR_WSMAN_INVALID_XML. */
  invalidXml: { subcode: null, codes: [2150858819] },
  /** Expected s:VersionMismatch / 2150858765 (ERROR_WSMAN_SOAP_VERSION_MISMATCH); structure only. */
  soapVersion: { subcode: null, codes: [] },
  missingAction: { subcode: 'a:MessageInformationHeaderRequired', codes: [2150858769] },
  unknownAction: { subcode: 'a:ActionNotSupported', codes: [2150858771] },
  /** ERROR_WSMAN_INVALID_RESOURCE_URI under WS-Addressing's DestinationUnreachable (pypsrp issue #192, DSP0226). */
  unknownResource: { subcode: 'a:DestinationUnreachable', codes: [2150858811] },
  missingSelector: { subcode: 'w:InvalidSelectors', codes: [2150858842] },
  unknownShell: { subcode: 'w:InvalidSelectors', codes: [2150858843] },
  /**
   * Or HTTP 413 without a fault. Structure only: which code Windows uses is unverified (notes §9:
   * 2150858823/24/25 for envelope sizes; 2150858805 is documented for a MaxEnvelopeSize header below 8192).
   */
  envelopeTooBig: { subcode: 'w:EncodingLimit', codes: [] },
} as const satisfies Record<string, Expected>;

const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const BOB: TestUser = { name: 'bob', password: 'Bob-Pa55word!', groups: ['Administrators'] };

let server: RunningServer;
let url: string;
let alice: WsmanClient;
let bob: WsmanClient;
/** A second client (own connections) that checks the server still serves after each bad request. */
let probe: WsmanClient;

beforeAll(async () => {
  server = await startServer({ users: [ALICE, BOB] });
  url = `https://127.0.0.1:${server.httpsPort}/wsman`;
  alice = new WsmanClient({ url, user: ALICE.name, password: ALICE.password });
  bob = new WsmanClient({ url, user: BOB.name, password: BOB.password });
  probe = new WsmanClient({ url, user: ALICE.name, password: ALICE.password });
  return async () => {
    for (const c of [alice, bob, probe]) c.close();
    await server.stop();
  };
});

function createEnvelope(overrides: Partial<EnvelopeOptions> = {}): { xml: string; messageId: string } {
  return buildEnvelope({
    action: ACTION.create,
    options: { WINRS_NOPROFILE: 'FALSE', WINRS_CODEPAGE: '65001' },
    body: '<shell:Shell><shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
    ...overrides,
  });
}

function receiveBody(commandId: string): string {
  return `<shell:Receive><shell:DesiredStream CommandId="${commandId}">stdout stderr</shell:DesiredStream></shell:Receive>`;
}

function expectNoLeaks(reply: HttpReply): void {
  expect(leaks(reply.body), reply.body).toEqual([]);
}

/** Asserts an HTTP 500 SOAP fault matching `expected`; returns it. */
function expectFault(reply: HttpReply, expected: Expected, messageId?: string): FaultInfo {
  expectNoLeaks(reply);
  expect(reply.status, reply.body).toBe(500);
  const fault = faultOf(parseXml(reply.body));
  if (fault === undefined) throw new Error(`HTTP 500 without s:Fault: ${reply.body}`);
  expect(fault.code, 'WSManFault Code').toEqual(expect.any(Number));
  if (expected.codes.length > 0) expect(expected.codes, `code ${String(fault.code)}`).toContain(fault.code);
  if (expected.subcode !== null) expect(fault.subcode).toBe(expected.subcode);
  if (messageId !== undefined) {
    expect(fault.relatesTo?.toLowerCase(), 'fault RelatesTo = request MessageID (notes §6.3)').toBe(messageId.toLowerCase());
  }
  return fault;
}

async function expectStillServing(client: WsmanClient = probe): Promise<void> {
  const shellId = await client.createShell();
  try {
    const result = await client.run(shellId, 'echo still-ok');
    expect(result.stdout.toString()).toBe('still-ok\n');
  } finally {
    await client.deleteShell(shellId);
  }
}

describe('malformed bodies', () => {
  it('faults truncated XML with ERROR_WSMAN_INVALID_XML', async () => {
    const xml = createEnvelope().xml;
    expectFault(await alice.post(xml.slice(0, Math.floor(xml.length / 2))), EXPECTED.invalidXml);
    await expectStillServing();
  });

  it('faults malformed XML (mismatched tags)', async () => {
    const xml = createEnvelope().xml.replace('</env:Header>', '</env:Head>');
    expectFault(await alice.post(xml), EXPECTED.invalidXml);
    await expectStillServing();
  });

  it('faults binary garbage', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expectFault(await alice.post(garbage), EXPECTED.invalidXml);
    await expectStillServing();
  });

  it('refuses a DOCTYPE with an entity', async () => {
    const envelope = createEnvelope({
      body: '<shell:Shell><shell:Environment><shell:Variable Name="X">&a;</shell:Variable></shell:Environment></shell:Shell>',
    });
    const xml = envelope.xml.replace('?>', '?><!DOCTYPE x [<!ENTITY a "b">]>');
    expectFault(await alice.post(xml), EXPECTED.invalidXml);
    await expectStillServing();
  });

  it.each([
    ['an ASCII body', ''],
    ['a body with non-ASCII text', 'Grüße '],
  ])('faults a control character XML does not allow, deep in %s', async (_label, prefix) => {
    // Past the first 64 KB, which the byte scan (protocol/xml/control-bytes.ts) takes as its first
    // chunk. The non-ASCII body never reaches that scan: it guards the decoder's way.
    const value = `${prefix}${'v'.repeat(70_000)}\u0001${'w'.repeat(1000)}`;
    const envelope = createEnvelope({
      body: `<shell:Shell><shell:Environment><shell:Variable Name="X">${value}</shell:Variable></shell:Environment></shell:Shell>`,
    });
    expectFault(await alice.post(envelope.xml), EXPECTED.invalidXml);
    await expectStillServing();
  });

  it('faults a well-formed document that is not a SOAP 1.2 envelope', async () => {
    expectFault(await alice.post(createEnvelope({ envelopeNs: NS.soap11 }).xml), EXPECTED.soapVersion);
    await expectStillServing();
  });
});

describe('bad headers', () => {
  it('faults a missing Action', async () => {
    const envelope = createEnvelope({ action: undefined });
    expectFault(await alice.post(envelope.xml), EXPECTED.missingAction, envelope.messageId);
    await expectStillServing();
  });

  it('faults an unknown action', async () => {
    const envelope = createEnvelope({ action: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Frobnicate' });
    expectFault(await alice.post(envelope.xml), EXPECTED.unknownAction, envelope.messageId);
    await expectStillServing();
  });

  it('faults a Create on an unknown resource URI', async () => {
    const envelope = createEnvelope({ resourceUri: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/nosuchshell' });
    expectFault(await alice.post(envelope.xml), EXPECTED.unknownResource, envelope.messageId);
    await expectStillServing();
  });
});

describe('selectors and ownership', () => {
  it('faults a Receive without the ShellId selector', async () => {
    const envelope = buildEnvelope({ action: ACTION.receive, body: receiveBody(randomUUID().toUpperCase()) });
    expectFault(await alice.post(envelope.xml), EXPECTED.missingSelector, envelope.messageId);
    await expectStillServing();
  });

  it('faults an unknown ShellId', async () => {
    const envelope = buildEnvelope({
      action: ACTION.receive,
      selectors: { ShellId: randomUUID().toUpperCase() },
      body: receiveBody(randomUUID().toUpperCase()),
    });
    expectFault(await alice.post(envelope.xml), EXPECTED.unknownShell, envelope.messageId);
    await expectStillServing();
  });

  it("treats another user's ShellId exactly like an unknown one", async () => {
    const bobsShell = await bob.createShell();
    try {
      // A real command of bob's, so only ownership stands between alice and its output.
      const bobsCommand = await bob.runCommand(bobsShell, 'echo bobs-secret');
      const unknownShell = randomUUID().toUpperCase();
      const receive = (shellId: string) =>
        buildEnvelope({ action: ACTION.receive, selectors: { ShellId: shellId }, body: receiveBody(bobsCommand) });
      const foreign = receive(bobsShell);
      const unknown = receive(unknownShell);
      const foreignReply = await alice.post(foreign.xml);
      expect(foreignReply.body).not.toContain(Buffer.from('bobs-secret').toString('base64'));
      const foreignFault = expectFault(foreignReply, EXPECTED.unknownShell, foreign.messageId);
      const unknownFault = expectFault(await alice.post(unknown.xml), EXPECTED.unknownShell, unknown.messageId);
      const normalise = (f: FaultInfo, shellId: string): unknown => ({
        code: f.code,
        subcode: f.subcode,
        value: f.value,
        reason: f.reason?.split(shellId).join('<id>'),
      });
      expect(normalise(foreignFault, bobsShell)).toEqual(normalise(unknownFault, unknownShell));

      // Nor can alice run a command in bob's shell or delete it.
      const command = buildEnvelope({
        action: ACTION.command,
        selectors: { ShellId: bobsShell },
        body: '<shell:CommandLine><shell:Command>echo hijack</shell:Command></shell:CommandLine>',
      });
      expectFault(await alice.post(command.xml), EXPECTED.unknownShell, command.messageId);
      const del = buildEnvelope({ action: ACTION.delete, selectors: { ShellId: bobsShell } });
      expectFault(await alice.post(del.xml), EXPECTED.unknownShell, del.messageId);

      const own = await bob.receiveAll(bobsShell, bobsCommand);
      expect(own.stdout.toString()).toBe('bobs-secret\n');
      const result = await bob.run(bobsShell, 'echo still-bobs');
      expect(result.stdout.toString()).toBe('still-bobs\n');
    } finally {
      await bob.deleteShell(bobsShell).catch(() => undefined);
    }
  });
});

describe('authentication comes first', () => {
  it('answers 401 to an unauthenticated body before parsing it', async () => {
    const anonymous = new WsmanClient({ url });
    try {
      for (const body of [Buffer.from([0, 1, 2, 0xff, 0xfe, 0x3c]), '<env:Envelope', createEnvelope({ action: undefined }).xml]) {
        const reply = await anonymous.post(body);
        expect(reply.status).toBe(401);
        expect(reply.body).toBe('');
      }
    } finally {
      anonymous.close();
    }
    await expectStillServing();
  });
});

describe('envelope size limit', () => {
  let small: RunningServer;
  let smallUrl: string;
  beforeAll(async () => {
    small = await startServer({ users: [ALICE], sets: ['Service.MaxEnvelopeSizekb=16'] });
    smallUrl = `https://127.0.0.1:${small.httpsPort}/wsman`;
    return () => small.stop();
  });

  it('refuses a 64 KB body over Service.MaxEnvelopeSizekb=16 and keeps serving', async () => {
    const big = new WsmanClient({ url: smallUrl, user: ALICE.name, password: ALICE.password });
    const after = new WsmanClient({ url: smallUrl, user: ALICE.name, password: ALICE.password });
    try {
      const filler = 'x'.repeat(64 * 1024);
      const envelope = createEnvelope({
        body: `<shell:Shell><shell:Environment><shell:Variable Name="BIG">${filler}</shell:Variable></shell:Environment></shell:Shell>`,
      });
      const reply = await big.post(envelope.xml);
      expectNoLeaks(reply);
      expect([500, 413]).toContain(reply.status);
      if (reply.status === 500) expectFault(reply, EXPECTED.envelopeTooBig);
      await expectStillServing(after);
    } finally {
      big.close();
      after.close();
    }
  });
});
