/**
 * The AuthGate's connection-bound NTLM path and the message encryption around it, driven by the
 * independent test initiator: legs, scheme echo, connection binding, authorization, and sealed
 * requests whose tampering or replay is refused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSecurityError } from '../../../auth/security-context.js';
import { frameEncrypted, unframeEncrypted } from '../../../protocol/encryption/multipart-encrypted.js';
import { AuthGate, type AuthDecision } from '../../../server/auth-gate.js';
import { ConnectionSecurity } from '../../../server/connection-security.js';
import { LoginThrottle } from '../../../server/login-throttle.js';
import { decryptRequest, encryptReply } from '../../../server/message-encryption.js';
import { createContextFactory, defaultNtlmNames } from '../../../server/security-contexts.js';
import { UserStore } from '../../../users/index.js';
import { buildAuthenticate, buildNegotiate, TestClientSession } from '../auth/ntlm/ntlm-test-client.js';

const log = pino({ level: 'silent' });
let dir: string;
let users: UserStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-ntlm-gate-'));
  users = UserStore.open(dir);
  await users.add('alice', 'alice-pw', ['Administrators']);
  await users.add('nobody', 'nobody-pw', []);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function gate(rootSddl?: () => string): AuthGate {
  const factory = createContextFactory({
    users,
    names: defaultNtlmNames('srv01.example.test'),
    httpsChannelBindingHash: undefined,
    channelBindingPolicy: 'Relaxed',
    kerberos: undefined,
  });
  const settings = {
    basicEnabled: true,
    negotiateEnabled: true,
    kerberosEnabled: false,
    allowUnencrypted: false,
    // Read at each decision, as the endpoint's getter reads the live configuration.
    get rootSddl() {
      return rootSddl?.();
    },
  };
  return new AuthGate(settings, users, new LoginThrottle(), factory, log);
}

function leg(g: AuthGate, connection: ConnectionSecurity, authorization: string | undefined): Promise<AuthDecision> {
  return g.authenticate({ authorization, identifyHeader: undefined, isTls: false, remoteAddress: '192.0.2.20', connection });
}

/** Runs NEGOTIATE and AUTHENTICATE on `connection`; returns the final decision and the client's session key. */
async function handshake(
  g: AuthGate,
  connection: ConnectionSecurity,
  user: string,
  password: string,
  scheme = 'Negotiate',
  authenticateOn = connection,
): Promise<{ decision: AuthDecision; sessionKey: Buffer | undefined; challengeHeader: string | undefined }> {
  const negotiate = buildNegotiate();
  const first = await leg(g, connection, `${scheme} ${negotiate.toString('base64')}`);
  const challengeHeader = first.kind === 'deny' ? first.wwwAuthenticate[0] : undefined;
  const token = challengeHeader?.split(' ')[1];
  if (token === undefined) return { decision: first, sessionKey: undefined, challengeHeader };
  const challenge = Buffer.from(token, 'base64');
  const auth = buildAuthenticate(negotiate, challenge, { user, domain: 'WORKGROUP', password });
  const decision = await leg(g, authenticateOn, `${scheme} ${auth.message.toString('base64')}`);
  return { decision, sessionKey: auth.exportedSessionKey, challengeHeader };
}

describe('AuthGate with NTLM', () => {
  it('answers NEGOTIATE with a CHALLENGE in the scheme the client used, and allows after AUTHENTICATE', async () => {
    for (const scheme of ['Negotiate', 'NTLM']) {
      const connection = new ConnectionSecurity();
      const { decision, challengeHeader } = await handshake(gate(), connection, 'alice', 'alice-pw', scheme);
      expect(challengeHeader?.startsWith(`${scheme} TlRMTVNTUAAC`)).toBe(true);
      expect(decision).toMatchObject({ kind: 'allow', principal: { name: 'alice', authScheme: scheme }, isHandshakeLeg: true });
      // The connection stays authenticated: the next request carries no header.
      expect(await leg(gate(), connection, undefined)).toMatchObject({ kind: 'allow', isHandshakeLeg: false });
    }
  });

  it('offers Negotiate and Basic in a bare 401', async () => {
    expect(await leg(gate(), new ConnectionSecurity(), undefined)).toMatchObject({
      kind: 'deny',
      wwwAuthenticate: ['Negotiate', 'Basic realm="WSMAN"'],
    });
  });

  it('refuses an AUTHENTICATE sent on another connection than the one that got the challenge', async () => {
    const g = gate();
    const { decision } = await handshake(g, new ConnectionSecurity(), 'alice', 'alice-pw', 'Negotiate', new ConnectionSecurity());
    expect(decision.kind).toBe('deny');
  });

  it('refuses a wrong password, an unknown user and a user outside the remote management groups', async () => {
    for (const [user, password] of [['alice', 'wrong'], ['mallory', 'x'], ['nobody', 'nobody-pw']] as const) {
      const connection = new ConnectionSecurity();
      const { decision } = await handshake(gate(), connection, user, password);
      expect(decision.kind).toBe('deny');
      expect(connection.established).toBeUndefined();
    }
  });

  it('applies a RootSDDL changed after the logon to the next request of the same connection', async () => {
    let sddl = 'O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)';
    const g = gate(() => sddl);
    const connection = new ConnectionSecurity();
    const { decision } = await handshake(g, connection, 'alice', 'alice-pw');
    expect(decision.kind).toBe('allow');
    expect((await leg(g, connection, undefined)).kind).toBe('allow');
    // Administrators lose Execute: alice's open connection is refused from its next request on.
    sddl = 'O:NSG:BAD:P(A;;GR;;;BA)S:P(AU;FA;GA;;;WD)';
    expect(await leg(g, connection, undefined)).toMatchObject({ kind: 'deny' });
    sddl = 'O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)';
    expect((await leg(g, connection, undefined)).kind).toBe('allow');
  });

  it('starts over when an authenticated connection sends a new NEGOTIATE', async () => {
    const g = gate();
    const connection = new ConnectionSecurity();
    await handshake(g, connection, 'alice', 'alice-pw');
    expect(connection.established).toBeDefined();
    await leg(g, connection, `Negotiate ${buildNegotiate().toString('base64')}`);
    expect(connection.established).toBeUndefined();
    expect((await leg(g, connection, undefined)).kind).toBe('deny');
  });
});

describe('message encryption with an NTLM context', () => {
  async function established(): Promise<{ connection: ConnectionSecurity; client: TestClientSession }> {
    const connection = new ConnectionSecurity();
    const { sessionKey } = await handshake(gate(), connection, 'alice', 'alice-pw');
    if (sessionKey === undefined || connection.established === undefined) throw new Error('handshake failed');
    return { connection, client: new TestClientSession(sessionKey) };
  }

  function clientRequest(client: TestClientSession, soap: Buffer, lengthDelta = 0): { body: Buffer; contentType: string } {
    const sealed = client.seal(soap);
    const protocol = 'application/HTTP-SPNEGO-session-encrypted';
    return frameEncrypted([
      { protocol, originalContentType: 'application/soap+xml;charset=UTF-8', originalLength: soap.length + lengthDelta, ...sealed },
    ]);
  }

  it('unseals a request and seals the reply so that the client can read it, many times in a row', async () => {
    const { connection, client } = await established();
    const context = connection.established?.context;
    if (context === undefined) throw new Error('no context');
    for (let i = 0; i < 5; i++) {
      const soap = Buffer.from(`<s:Envelope>${'x'.repeat(1000 * i)}</s:Envelope>`);
      const request = clientRequest(client, soap);
      const decrypted = decryptRequest(request.body, request.contentType, context);
      expect(decrypted.soap.equals(soap)).toBe(true);
      expect(decrypted.soapContentType).toBe('application/soap+xml;charset=UTF-8');
      const reply = encryptReply(Buffer.from(`reply ${i}`), decrypted.soapContentType, decrypted.protocol, context);
      expect(reply.contentType).toContain('multipart/encrypted');
      const [part] = unframeEncrypted(reply.body, 'Encrypted Boundary');
      if (part === undefined) throw new Error('no part');
      expect(client.unseal(part).toString()).toBe(`reply ${i}`);
    }
  });

  it('refuses a tampered, a replayed and a mis-declared message', async () => {
    const { connection, client } = await established();
    const context = connection.established?.context;
    if (context === undefined) throw new Error('no context');
    const first = clientRequest(client, Buffer.from('<a/>'));
    decryptRequest(first.body, first.contentType, context);
    expect(() => decryptRequest(first.body, first.contentType, context)).toThrow(MessageSecurityError);

    const fresh = await established();
    const freshContext = fresh.connection.established?.context;
    if (freshContext === undefined) throw new Error('no context');
    const tampered = clientRequest(fresh.client, Buffer.from('<a>hello</a>'));
    const last = tampered.body.length - '--Encrypted Boundary--\r\n'.length - 1;
    tampered.body[last] = (tampered.body[last] ?? 0) ^ 0x01;
    expect(() => decryptRequest(tampered.body, tampered.contentType, freshContext)).toThrow(MessageSecurityError);

    const third = await established();
    const thirdContext = third.connection.established?.context;
    if (thirdContext === undefined) throw new Error('no context');
    const misdeclared = clientRequest(third.client, Buffer.from('<a/>'), 1);
    expect(() => decryptRequest(misdeclared.body, misdeclared.contentType, thirdContext)).toThrow(MessageSecurityError);
  });
});
