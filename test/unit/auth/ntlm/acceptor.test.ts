import { describe, expect, it } from 'vitest';
import { NtlmAcceptor, type NtlmAcceptorOptions, looksLikeNtlm } from '../../../../auth/ntlm/index.js';
import { ntHash } from '../../../../auth/ntlm/nt-hash.js';
import { MessageSecurityError, type StepResult } from '../../../../auth/security-context.js';
import { CLIENT_FLAGS, TestClientSession, buildAuthenticate, buildNegotiate, readChallenge, type AuthenticateOptions } from './ntlm-test-client.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const NAMES = { netbiosComputer: 'SRV01', netbiosDomain: 'WORKGROUP', dnsComputer: 'srv01.example.test', dnsDomain: 'example.test' };
const ALICE = { user: 'alice', domain: 'SRV01', password: 'S3cret!pw' };

function makeAcceptor(overrides: Partial<NtlmAcceptorOptions> = {}, lookups: [string, string][] = []): NtlmAcceptor {
  return new NtlmAcceptor({
    lookupAccount: (userName, domain) => {
      lookups.push([userName, domain]);
      return Promise.resolve(userName.toLowerCase() === 'alice' ? { accountName: 'alice', ntHash: ntHash(ALICE.password) } : undefined);
    },
    names: NAMES,
    now: () => NOW,
    ...overrides,
  });
}

function tokenOf(result: StepResult): Buffer {
  if (result.kind !== 'continue') throw new Error(`expected continue, got ${result.kind}`);
  return result.token;
}

/** Runs NEGOTIATE → CHALLENGE → AUTHENTICATE and returns the final result and the client's session key. */
async function handshake(acceptor: NtlmAcceptor, options: Partial<AuthenticateOptions> = {}, negotiateFlags = CLIENT_FLAGS) {
  const negotiate = buildNegotiate(negotiateFlags);
  const challenge = tokenOf(await acceptor.step(negotiate));
  const client = buildAuthenticate(negotiate, challenge, { ...ALICE, ...options });
  return { challenge, client, result: await acceptor.step(client.message) };
}

describe('NtlmAcceptor handshake', () => {
  it('answers NEGOTIATE with a Windows-like CHALLENGE', async () => {
    const acceptor = makeAcceptor({ randomBytes: (n) => Buffer.alloc(n, 0x11) });
    const challenge = tokenOf(await acceptor.step(buildNegotiate()));
    const parsed = readChallenge(challenge);
    expect(challenge.subarray(0, 12)).toEqual(Buffer.from('4e544c4d5353500002000000', 'hex'));
    expect(parsed.flags.toString(16)).toBe('e28a8235');
    expect(parsed.serverChallenge).toEqual(Buffer.alloc(8, 0x11));
    expect(challenge.subarray(48, 56).toString('hex')).toBe('0a007c4f0000000f'); // 10.0.20348, revision 15
    const targetName = challenge.subarray(challenge.readUInt32LE(16), challenge.readUInt32LE(16) + challenge.readUInt16LE(12));
    expect(targetName.toString('utf16le')).toBe('SRV01');
    const info = parsed.targetInfo.toString('latin1');
    for (const name of ['SRV01', 'WORKGROUP', 'srv01.example.test', 'example.test']) expect(info).toContain(Buffer.from(name, 'utf16le').toString('latin1'));
    // MsvAvTimestamp = FILETIME of now(): 100 ns ticks since 1601.
    expect(parsed.timestamp?.readBigUInt64LE(0)).toBe((BigInt(NOW.getTime()) + 11_644_473_600_000n) * 10_000n);
    expect(parsed.targetInfo.subarray(-4)).toEqual(Buffer.alloc(4)); // MsvAvEOL
    expect(acceptor.status).toBe('challengeSent');
  });

  it('grants only what the client asked for among SIGN, SEAL, ESS, 128, 56 and KEY_EXCH', async () => {
    const challenge = tokenOf(await makeAcceptor().step(buildNegotiate(0x00000001)));
    // UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN, TARGET_TYPE_SERVER, TARGET_INFO, VERSION
    expect(readChallenge(challenge).flags.toString(16)).toBe('2828205');
  });

  it('completes with MIC and KEY_EXCH, then seals and unseals both ways with advancing sequence numbers', async () => {
    const lookups: [string, string][] = [];
    const acceptor = makeAcceptor({}, lookups);
    const { client, result } = await handshake(acceptor);
    expect(result).toEqual({
      kind: 'complete',
      token: undefined,
      identity: { accountName: 'alice', clientUserName: 'alice', clientDomain: 'SRV01', mechanism: 'NTLM' },
    });
    expect(lookups).toEqual([['alice', 'SRV01']]);
    expect(acceptor.authenticateHadMic).toBe(true);

    const session = new TestClientSession(client.exportedSessionKey);
    for (let i = 0; i < 5; i++) {
      const request = Buffer.from(`<s:Envelope>request ${i} ${'x'.repeat(i * 100)}</s:Envelope>`);
      const wrapped = session.seal(request);
      expect(wrapped.header.readUInt32LE(12)).toBe(i);
      expect(wrapped.data).not.toEqual(request);
      expect(acceptor.unwrap(wrapped)).toEqual(request);

      const response = Buffer.from(`response ${i}`);
      const sealed = acceptor.wrap(response);
      expect(sealed.header).toHaveLength(16);
      expect(sealed.header.readUInt32LE(0)).toBe(1);
      expect(sealed.header.readUInt32LE(12)).toBe(i);
      expect(sealed.data).toHaveLength(response.length);
      expect(session.unseal(sealed)).toEqual(response);
    }
  });

  it('keeps the directions independent (several requests before a response)', async () => {
    const acceptor = makeAcceptor();
    const { client } = await handshake(acceptor);
    const session = new TestClientSession(client.exportedSessionKey);
    for (const text of ['a', 'bb', 'ccc']) expect(acceptor.unwrap(session.seal(Buffer.from(text))).toString()).toBe(text);
    for (const text of ['1', '22']) expect(session.unseal(acceptor.wrap(Buffer.from(text))).toString()).toBe(text);
  });

  it('accepts a client without MIC, and one that hashed an empty domain', async () => {
    const noMic = makeAcceptor();
    expect((await handshake(noMic, { mic: false })).result.kind).toBe('complete');
    expect(noMic.authenticateHadMic).toBe(false);
    expect((await handshake(makeAcceptor(), { hashDomain: '' })).result.kind).toBe('complete');
  });

  it('refuses wrap and unwrap before completion', async () => {
    const acceptor = makeAcceptor();
    expect(() => acceptor.wrap(Buffer.from('x'))).toThrow(MessageSecurityError);
    await acceptor.step(buildNegotiate());
    expect(() => acceptor.unwrap({ header: Buffer.alloc(16), data: Buffer.alloc(1) })).toThrow(MessageSecurityError);
  });

  it('recognises raw NTLMSSP tokens', () => {
    expect(looksLikeNtlm(buildNegotiate())).toBe(true);
    expect(looksLikeNtlm(Buffer.from('NTLMSSP'))).toBe(false);
    expect(looksLikeNtlm(Buffer.from('6082', 'hex'))).toBe(false);
  });
});

describe('NtlmAcceptor refusals', () => {
  const expectFailed = (result: StepResult, pattern: RegExp): void => {
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.reason).toMatch(pattern);
  };

  it('refuses anonymous logons', async () => {
    const anonymous = await handshake(makeAcceptor(), { user: '', ntResponse: Buffer.alloc(0), lmResponse: Buffer.from([0]), mic: false });
    expectFailed(anonymous.result, /anonymous/);
    expectFailed((await handshake(makeAcceptor(), { user: '' })).result, /anonymous/);
  });

  it('refuses LM-only and NTLMv1 responses', async () => {
    expectFailed((await handshake(makeAcceptor(), { ntResponse: Buffer.alloc(0), mic: false })).result, /LM-only/);
    expectFailed((await handshake(makeAcceptor(), { ntResponse: Buffer.alloc(24, 7), mic: false })).result, /NTLMv1/);
  });

  it('refuses steps out of order and a second AUTHENTICATE on the same challenge', async () => {
    const negotiate = buildNegotiate();
    const early = makeAcceptor();
    const other = makeAcceptor();
    const challenge = tokenOf(await other.step(negotiate));
    const authenticate = buildAuthenticate(negotiate, challenge, ALICE).message;
    expectFailed(await early.step(authenticate), /NEGOTIATE/);
    expectFailed(await early.step(negotiate), /state failed/);

    expect((await other.step(authenticate)).kind).toBe('complete');
    expectFailed(await other.step(authenticate), /state established/);
    expect(() => other.wrap(Buffer.from('x'))).toThrow(MessageSecurityError); // the context is gone

    const wrong = makeAcceptor();
    const challenge2 = tokenOf(await wrong.step(negotiate));
    const bad = buildAuthenticate(negotiate, challenge2, { ...ALICE, password: 'nope' }).message;
    expectFailed(await wrong.step(bad), /wrong password/);
    const good = buildAuthenticate(negotiate, challenge2, ALICE).message;
    expectFailed(await wrong.step(good), /state failed/); // no second try on a spent challenge
  });

  it('fails a context that receives a token while verifying', async () => {
    let release: () => void = () => undefined;
    const acceptor = makeAcceptor({
      lookupAccount: () => new Promise((resolve) => { release = () => { resolve({ accountName: 'alice', ntHash: ntHash(ALICE.password) }); }; }),
    });
    const negotiate = buildNegotiate();
    const challenge = tokenOf(await acceptor.step(negotiate));
    const authenticate = buildAuthenticate(negotiate, challenge, ALICE).message;
    const first = acceptor.step(authenticate);
    expectFailed(await acceptor.step(authenticate), /state verifying/);
    release();
    expect((await first).kind).toBe('failed');
  });

  it('refuses unknown users, wrong passwords and bad MICs', async () => {
    expectFailed((await handshake(makeAcceptor(), { user: 'mallory' })).result, /unknown user/);
    expectFailed((await handshake(makeAcceptor(), { password: 'wrong' })).result, /wrong password/);
    const micTampered = await handshake(makeAcceptor(), { tamperAfterMic: (m) => { m.writeUInt8(m.readUInt8(72) ^ 1, 72); } });
    expectFailed(micTampered.result, /MIC/);
    // The MIC covers the flags: a relay that strips SIGN/SEAL is detected.
    const flagsTampered = await handshake(makeAcceptor(), { tamperAfterMic: (m) => { m.writeUInt32LE((m.readUInt32LE(60) & ~0x30) >>> 0, 60); } });
    expectFailed(flagsTampered.result, /MIC/);
  });

  it('refuses a stale NTLMv2 timestamp, unless the check is disabled', async () => {
    const old = Buffer.alloc(8);
    old.writeBigUInt64LE((BigInt(NOW.getTime() - 37 * 3600_000) + 11_644_473_600_000n) * 10_000n);
    expectFailed((await handshake(makeAcceptor(), { timestamp: old })).result, /clock skew/);
    expect((await handshake(makeAcceptor({ maxClockSkewMs: Infinity }), { timestamp: old })).result.kind).toBe('complete');
  });

  it('refuses sealing without extended session security or 128-bit keys', async () => {
    expectFailed((await handshake(makeAcceptor(), { flags: (0xe28a8235 & ~0x00080000) >>> 0 })).result, /EXTENDED_SESSIONSECURITY/);
    expectFailed((await handshake(makeAcceptor(), { flags: 0xc28a8235 })).result, /NEGOTIATE_128/);
  });

  it('fails malformed and random tokens without throwing', async () => {
    expectFailed(await makeAcceptor().step(Buffer.from('not ntlm at all')), /malformed/);
    const acceptor = makeAcceptor();
    await acceptor.step(buildNegotiate());
    expectFailed(await acceptor.step(Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(8, 0xff)])), /malformed/);
  });
});

describe('channel binding policy', () => {
  const boundHash = Buffer.alloc(16, 0xcb);
  const otherHash = Buffer.alloc(16, 0x5a);
  const table: [string, Buffer | undefined, 'None' | 'Relaxed' | 'Strict', Buffer | undefined, 'complete' | 'failed'][] = [
    ['None ignores a mismatch', boundHash, 'None', otherHash, 'complete'],
    ['Relaxed accepts a match', boundHash, 'Relaxed', boundHash, 'complete'],
    ['Relaxed accepts missing bindings', boundHash, 'Relaxed', undefined, 'complete'],
    ['Relaxed accepts all-zero bindings', boundHash, 'Relaxed', Buffer.alloc(16), 'complete'],
    ['Relaxed rejects a mismatch', boundHash, 'Relaxed', otherHash, 'failed'],
    ['Strict accepts a match', boundHash, 'Strict', boundHash, 'complete'],
    ['Strict rejects missing bindings', boundHash, 'Strict', undefined, 'failed'],
    ['Strict rejects all-zero bindings', boundHash, 'Strict', Buffer.alloc(16), 'failed'],
    ['Strict rejects a mismatch', boundHash, 'Strict', otherHash, 'failed'],
    ['Strict without a TLS hash (HTTP) checks nothing', undefined, 'Strict', otherHash, 'complete'],
  ];
  for (const [name, serverHash, policy, clientValue, expected] of table) {
    it(name, async () => {
      const acceptor = makeAcceptor({ channelBindingHash: serverHash, channelBindingPolicy: policy });
      const { result } = await handshake(acceptor, clientValue === undefined ? {} : { channelBindings: clientValue });
      expect(result.kind).toBe(expected);
    });
  }

  it('defaults to Relaxed', async () => {
    const { result } = await handshake(makeAcceptor({ channelBindingHash: boundHash }), { channelBindings: otherHash });
    expect(result.kind).toBe('failed');
  });
});
