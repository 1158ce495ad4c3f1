/**
 * The NTLM acceptor leg by leg, with ntlm-auth 1.4.0 building the NTLM messages and
 * test/interop/ntlm_raw_client.py doing the HTTP (one keep-alive connection per name), the SPNEGO
 * DER and the pywinrm-style multipart/encrypted framing. Checks what the server answers on each leg
 * (notes §1.3, §1.4, §1.6, §4.2, §4.3) and that a sealed message that was altered, replayed or
 * mis-framed is refused with 400 and costs the connection its context (notes §2.2–§2.4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runLegs, type Leg, type RawStep } from '../support/ntlm-raw-client.js';
import { waitForLog } from '../support/server-logs.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { ACTION, buildEnvelope, buildIdentify, child, parseXml, path, text } from '../support/wsman-xml.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const NTLM_OID = '1.3.6.1.4.1.311.2.2.10';
const ENCRYPTED_TYPE = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';
/** negState values [RFC 4178 §4.2.2]. */
const ACCEPT_COMPLETED = 0;
const ACCEPT_INCOMPLETE = 1;

const IDENTIFY = buildIdentify();
const CREATE_SHELL = buildEnvelope({
  action: ACTION.create,
  options: { WINRS_NOPROFILE: 'FALSE', WINRS_CODEPAGE: '65001' },
  body: '<shell:Shell><shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
}).xml;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ users: [ADMIN] });
  return () => server.stop();
});

function run(steps: RawStep[]): Promise<Leg[]> {
  return runLegs({ port: server.httpPort, user: ADMIN.name, password: ADMIN.password, steps });
}

/** The NEGOTIATE and AUTHENTICATE legs with raw NTLMSSP tokens and empty bodies (pywinrm's setup_encryption). */
function handshake(conn = 'a', ctx = 'main'): RawStep[] {
  return [
    { op: 'negotiate', conn, ctx },
    { op: 'authenticate', conn, ctx },
  ];
}

function legAt(legs: Leg[], index: number): Leg {
  const leg = legs[index];
  if (leg === undefined) throw new Error(`no leg ${index} (of ${legs.length})`);
  return leg;
}

/** A 401 that only lists the schemes (no continuation token), as for a request without credentials. */
function expectBareChallenge(leg: Leg): void {
  expect(leg.status).toBe(401);
  expect(leg.wwwAuthenticate).toContain('Negotiate');
  expect(leg.wwwAuthenticate.every((value) => !/^(Negotiate|NTLM) \S/.test(value))).toBe(true);
  expect(leg.bodyLen).toBe(0);
}

/** The 401 of a NEGOTIATE leg: exactly one header, `<scheme> <raw CHALLENGE>`, on a kept-alive connection. */
function expectNtlmChallenge(leg: Leg, scheme = 'Negotiate'): void {
  expect(leg.status).toBe(401);
  expect(leg.wwwAuthenticate).toHaveLength(1);
  expect(leg.wwwAuthenticate[0]?.startsWith(`${scheme} TlRMTVNTUAAC`)).toBe(true);
  expect(leg.serverToken).toMatchObject({ scheme, kind: 'ntlm', ntlmType: 2 });
  expect(leg.bodyLen).toBe(0);
  expect(leg.keepAlive).toBe(true);
}

/** The 200 that completes a raw-NTLM handshake with an empty body. */
function expectHandshakeDone(leg: Leg): void {
  expect(leg.status).toBe(200);
  expect(leg.bodyLen).toBe(0);
  expect(leg.keepAlive).toBe(true);
}

/** A sealed 200 reply that decrypted, had its declared length, and holds a SOAP envelope; returns the document. */
function expectSealedReply(leg: Leg): unknown {
  expect(leg.replyError).toBeUndefined();
  expect(leg.status).toBe(200);
  expect(leg.contentType).toBe(ENCRYPTED_TYPE);
  const reply = leg.reply;
  if (reply === undefined) throw new Error(`no sealed reply (status ${leg.status}, content type ${String(leg.contentType)})`);
  expect(reply.protocol).toBe('application/HTTP-SPNEGO-session-encrypted');
  expect(reply.originalContent).toBe(`type=application/soap+xml;charset=UTF-8;Length=${reply.originalLength}`);
  expect(Buffer.byteLength(reply.text)).toBe(reply.originalLength);
  const doc = parseXml(reply.text);
  expect(path(doc, 'Envelope', 'Body')).toBeDefined();
  return doc;
}

function expectIdentifyResponse(leg: Leg): void {
  const doc = expectSealedReply(leg);
  const response = path(doc, 'Envelope', 'Body', 'IdentifyResponse');
  expect(text(child(response, 'ProtocolVersion'))).toBe('http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd');
}

/** A refused sealed message: 400, nothing in the body, and the connection stays open. */
function expectRefusedMessage(leg: Leg): void {
  expect(leg.status).toBe(400);
  expect(leg.bodyLen).toBe(0);
  expect(leg.reply).toBeUndefined();
  expect(leg.keepAlive).toBe(true);
}

function expectOneConnection(legs: Leg[]): void {
  const ports = new Set(legs.map((leg) => leg.localPort));
  expect(ports.size).toBe(1);
  expect(ports.has(undefined)).toBe(false);
}

describe('raw NTLMSSP in the Negotiate scheme, empty-body handshake', () => {
  it('answers each leg as notes §1.4 shows, then serves sealed requests in sequence', async () => {
    const legs = await run([
      { op: 'anonymous' },
      ...handshake(),
      { op: 'send', envelope: IDENTIFY },
      { op: 'send', envelope: CREATE_SHELL },
      { op: 'send', envelope: IDENTIFY },
    ]);
    const anonymous = legAt(legs, 0);
    const negotiate = legAt(legs, 1);
    const authenticate = legAt(legs, 2);
    const identify = legAt(legs, 3);
    const create = legAt(legs, 4);
    const identifyAgain = legAt(legs, 5);

    expectBareChallenge(anonymous);
    expect(anonymous.wwwAuthenticate).toContain('Basic realm="WSMAN"');
    expect(anonymous.keepAlive).toBe(true);

    expectNtlmChallenge(negotiate);
    expectHandshakeDone(authenticate);
    // Raw NTLM has no final token: nothing to put in WWW-Authenticate on the 200.
    expect(authenticate.wwwAuthenticate).toEqual([]);

    expect([identify.sentSeq, create.sentSeq, identifyAgain.sentSeq]).toEqual([0, 1, 2]);
    expectIdentifyResponse(identify);
    const created = expectSealedReply(create);
    const shellId = text(path(created, 'Envelope', 'Body', 'Shell', 'ShellId'));
    expect(shellId).toMatch(/^[0-9A-F-]{36}$/i);
    expectIdentifyResponse(identifyAgain);
    expectOneConnection(legs);
  });

  it('keeps the handshake to the NTLM scheme when the client uses it (curl, requests-ntlm against IIS)', async () => {
    const legs = await run([{ op: 'negotiate', scheme: 'NTLM' }, { op: 'authenticate' }, { op: 'send', envelope: IDENTIFY }]);
    expectNtlmChallenge(legAt(legs, 0), 'NTLM');
    expectHandshakeDone(legAt(legs, 1));
    expectIdentifyResponse(legAt(legs, 2));
  });

  it('refuses a plaintext envelope on the authenticated HTTP connection with 401 (AllowUnencrypted=false)', async () => {
    const legs = await run([...handshake(), { op: 'send', envelope: IDENTIFY, plaintext: true }]);
    expectHandshakeDone(legAt(legs, 1));
    expectBareChallenge(legAt(legs, 2));
  });

  it('binds the handshake to its connection: an AUTHENTICATE on another connection gets 401', async () => {
    const since = server.logs().length;
    const legs = await run([
      { op: 'negotiate', conn: 'a' },
      { op: 'authenticate', conn: 'b' },
      // The connection that got the challenge can still finish its own handshake.
      { op: 'authenticate', conn: 'a' },
      { op: 'send', conn: 'a', envelope: IDENTIFY },
    ]);
    const negotiate = legAt(legs, 0);
    const stray = legAt(legs, 1);
    const authenticate = legAt(legs, 2);
    const identify = legAt(legs, 3);
    expectNtlmChallenge(negotiate);
    expect(stray.localPort).not.toBe(negotiate.localPort);
    expectBareChallenge(stray);
    expect(stray.serverToken).toBeUndefined();
    await waitForLog(server, (r) => r['event'] === 'logon-failed', since);
    expect(authenticate.localPort).toBe(negotiate.localPort);
    expectHandshakeDone(authenticate);
    expectIdentifyResponse(identify);
  });
});

describe('sealed messages that fail their checks', () => {
  it('refuses a message with one flipped byte of sealed data with 400, then treats the connection as unauthenticated', async () => {
    const since = server.logs().length;
    const legs = await run([
      ...handshake(),
      { op: 'send', envelope: IDENTIFY },
      { op: 'send', envelope: IDENTIFY, tamper: 'flip-data' },
      { op: 'send', envelope: IDENTIFY },
      // Authenticating again on the same connection recovers it.
      ...handshake('a', 'again'),
      { op: 'send', ctx: 'again', envelope: IDENTIFY },
    ]);
    expectIdentifyResponse(legAt(legs, 2));
    expectRefusedMessage(legAt(legs, 3));
    expectBareChallenge(legAt(legs, 4));
    expectNtlmChallenge(legAt(legs, 5));
    expectHandshakeDone(legAt(legs, 6));
    expectIdentifyResponse(legAt(legs, 7));
    expectOneConnection(legs);
    await waitForLog(server, (r) => r['event'] === 'message-refused', since);
  });

  it('refuses a message whose signature checksum was altered with 400', async () => {
    const legs = await run([...handshake(), { op: 'send', envelope: IDENTIFY, tamper: 'flip-signature' }, { op: 'send', envelope: IDENTIFY }]);
    expectRefusedMessage(legAt(legs, 2));
    expectBareChallenge(legAt(legs, 3));
    expectOneConnection(legs);
  });

  it('refuses a replayed message with 400', async () => {
    const legs = await run([...handshake(), { op: 'send', envelope: IDENTIFY }, { op: 'replay' }, { op: 'send', envelope: IDENTIFY }]);
    expectIdentifyResponse(legAt(legs, 2));
    expectRefusedMessage(legAt(legs, 3));
    expectBareChallenge(legAt(legs, 4));
    expectOneConnection(legs);
  });

  it.each([1, -1])('refuses an OriginalContent Length that is off by %i with 400', async (delta) => {
    const legs = await run([...handshake(), { op: 'send', envelope: IDENTIFY, length_delta: delta }, { op: 'send', envelope: IDENTIFY }]);
    expectHandshakeDone(legAt(legs, 1));
    expectRefusedMessage(legAt(legs, 2));
    expectBareChallenge(legAt(legs, 3));
  });
});

describe('SPNEGO-wrapped NTLM (GSS InitialContextToken / NegTokenInit with mechTypes [NTLM])', () => {
  /** The first server leg: NegTokenResp {accept-incomplete, supportedMech NTLM, responseToken CHALLENGE}. */
  function expectSpnegoChallenge(leg: Leg): void {
    expect(leg.status).toBe(401);
    expect(leg.wwwAuthenticate).toHaveLength(1);
    expect(leg.wwwAuthenticate[0]?.startsWith('Negotiate ')).toBe(true);
    expect(leg.serverToken).toMatchObject({
      kind: 'spnego',
      negState: ACCEPT_INCOMPLETE,
      supportedMech: NTLM_OID,
      responseNtlmType: 2,
      mechListMic: false,
    });
    expect(leg.keepAlive).toBe(true);
  }

  it('completes without a mechListMIC when the server does not ask for one, then seals from sequence 0', async () => {
    const legs = await run([
      { op: 'negotiate', spnego: true },
      { op: 'authenticate', mech_list_mic: 'if-requested' },
      { op: 'send', envelope: IDENTIFY },
      { op: 'send', envelope: CREATE_SHELL },
    ]);
    const challenge = legAt(legs, 0);
    const done = legAt(legs, 1);
    const identify = legAt(legs, 2);
    const create = legAt(legs, 3);
    expectSpnegoChallenge(challenge);
    expectHandshakeDone(done);
    // The final NegTokenResp: accept-completed, no supportedMech (only in the first reply), no MIC to answer.
    expect(done.serverToken).toMatchObject({ kind: 'spnego', negState: ACCEPT_COMPLETED, supportedMech: undefined, responseNtlmType: undefined, mechListMic: false });
    expect([identify.sentSeq, create.sentSeq]).toEqual([0, 1]);
    expectIdentifyResponse(identify);
    expectSealedReply(create);
    expectOneConnection(legs);
  });

  it('exchanges mechListMICs like Windows and pyspnego, then seals from sequence 1 with fresh RC4 streams', async () => {
    const legs = await run([
      { op: 'negotiate', spnego: true },
      { op: 'authenticate', mech_list_mic: 'always' },
      { op: 'send', envelope: IDENTIFY },
      { op: 'send', envelope: IDENTIFY },
    ]);
    const challenge = legAt(legs, 0);
    const done = legAt(legs, 1);
    const identify = legAt(legs, 2);
    const again = legAt(legs, 3);
    expectSpnegoChallenge(challenge);
    expectHandshakeDone(done);
    // The server's mechListMIC must verify with the server-to-client signing key and sequence 0.
    expect(done.serverToken).toMatchObject({ kind: 'spnego', negState: ACCEPT_COMPLETED, mechListMic: true, mechListMicValid: true });
    expect([identify.sentSeq, again.sentSeq]).toEqual([1, 2]);
    expectIdentifyResponse(identify);
    expectIdentifyResponse(again);
  });

  it('refuses a wrong mechListMIC with 401', async () => {
    const legs = await run([
      { op: 'negotiate', spnego: true },
      { op: 'authenticate', mech_list_mic: 'corrupt' },
      { op: 'send', envelope: IDENTIFY },
    ]);
    expectSpnegoChallenge(legAt(legs, 0));
    const refused = legAt(legs, 1);
    expect(refused.status).toBe(401);
    // notes §4.3: a bare 401, or one whose NegTokenResp says reject (2); never accept-completed.
    if (refused.serverToken !== undefined) expect(refused.serverToken).toMatchObject({ kind: 'spnego', negState: 2 });
    expectBareChallenge(legAt(legs, 2));
  });
});
