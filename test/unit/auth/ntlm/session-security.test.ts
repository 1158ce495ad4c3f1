import { describe, expect, it } from 'vitest';
import { NegotiateFlags, combineFlags } from '../../../../auth/ntlm/flags.js';
import { Rc4 } from '../../../../auth/ntlm/rc4.js';
import { NtlmSessionSecurity, computeSignature, deriveSessionKeys } from '../../../../auth/ntlm/session-security.js';
import { MessageSecurityError } from '../../../../auth/security-context.js';
import { TestClientSession } from './ntlm-test-client.js';
import * as spec from './spec-vectors.js';

const ESS = NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
const FLAGS = combineFlags(
  ESS,
  NegotiateFlags.NTLMSSP_NEGOTIATE_128,
  NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN,
);

describe('session keys (MS-NLMP 3.4.5, 4.2.4.4)', () => {
  it('derives the 128-bit signing and sealing keys for both directions', () => {
    expect(deriveSessionKeys(spec.RANDOM_SESSION_KEY, FLAGS)).toEqual({
      clientSigningKey: spec.KEYS.clientSigning,
      serverSigningKey: spec.KEYS.serverSigning,
      clientSealingKey: spec.KEYS.clientSealing128,
      serverSealingKey: spec.KEYS.serverSealing128,
    });
  });

  it('shortens the sealing key base for 56- and 40-bit sealing', () => {
    const k56 = deriveSessionKeys(spec.RANDOM_SESSION_KEY, combineFlags(ESS, NegotiateFlags.NTLMSSP_NEGOTIATE_56));
    expect([k56.clientSealingKey, k56.serverSealingKey]).toEqual([spec.KEYS.clientSealing56, spec.KEYS.serverSealing56]);
    const k40 = deriveSessionKeys(spec.RANDOM_SESSION_KEY, ESS);
    expect([k40.clientSealingKey, k40.serverSealingKey]).toEqual([spec.KEYS.clientSealing40, spec.KEYS.serverSealing40]);
  });
});

describe('sealing (MS-NLMP 4.2.4.4)', () => {
  it('seals "Plaintext" as the spec example does, message first and checksum after on one RC4 stream', () => {
    const handle = new Rc4(spec.KEYS.clientSealing128);
    const sealed = handle.process(spec.PLAINTEXT);
    expect(sealed).toEqual(spec.SEALED);
    expect(computeSignature(spec.KEYS.clientSigning, handle, 0, spec.PLAINTEXT)).toEqual(spec.SIGNATURE);
  });

  it('leaves the checksum unencrypted without KEY_EXCH', () => {
    expect(computeSignature(spec.KEYS.clientSigning, undefined, 0, spec.PLAINTEXT)).toEqual(spec.SIGNATURE_NO_KEY_EXCH);
  });

  it('unseals the spec example on the server side', () => {
    const server = new NtlmSessionSecurity(spec.RANDOM_SESSION_KEY, FLAGS);
    expect(server.unseal({ header: spec.SIGNATURE, data: spec.SEALED })).toEqual(spec.PLAINTEXT);
  });
});

describe('NtlmSessionSecurity', () => {
  const pair = (): { server: NtlmSessionSecurity; client: TestClientSession } => ({
    server: new NtlmSessionSecurity(spec.RANDOM_SESSION_KEY, FLAGS),
    client: new TestClientSession(spec.RANDOM_SESSION_KEY),
  });

  it('round-trips many messages both ways against the independent client', () => {
    const { server, client } = pair();
    for (let i = 0; i < 20; i++) {
      const up = Buffer.from(`request ${i}`.repeat(i + 1));
      expect(server.unseal(client.seal(up))).toEqual(up);
      const down = Buffer.from(`response ${i}`);
      const sealed = server.seal(down);
      expect(sealed.header.readUInt32LE(12)).toBe(i);
      expect(client.unseal(sealed)).toEqual(down);
    }
    expect(server.unseal(client.seal(Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
  });

  it('stays in step with the client when both make their key streams ahead between large messages', () => {
    const { server, client } = pair();
    for (let i = 0; i < 6; i++) {
      const up = Buffer.alloc(70_000 + i * 1000, i + 1);
      expect(server.unseal(client.seal(up))).toEqual(up);
      const down = Buffer.alloc(100_000 - i * 3, 0x40 + i);
      expect(client.unseal(server.seal(down))).toEqual(down);
      server.prepareAhead();
      if (i % 2 === 0) client.prepare();
    }
    const small = Buffer.from('a small one after all');
    expect(client.unseal(server.seal(small))).toEqual(small);
    expect(server.unseal(client.seal(small))).toEqual(small);
  });

  it('rejects a tampered signature, tampered data, a replay and a skipped sequence number', () => {
    const cases: [string, (client: TestClientSession) => { header: Buffer; data: Buffer }[]][] = [
      ['tampered checksum', (c) => { const m = c.seal(Buffer.from('hi')); m.header.writeUInt8(m.header.readUInt8(5) ^ 1, 5); return [m]; }],
      ['tampered data', (c) => { const m = c.seal(Buffer.from('hello')); m.data.writeUInt8(m.data.readUInt8(0) ^ 1, 0); return [m]; }],
      ['bad version', (c) => { const m = c.seal(Buffer.from('hi')); m.header.writeUInt32LE(2, 0); return [m]; }],
      ['short header', (c) => { const m = c.seal(Buffer.from('hi')); return [{ header: m.header.subarray(0, 15), data: m.data }]; }],
      ['replayed message', (c) => { const m = c.seal(Buffer.from('once')); return [m, m]; }],
      ['same sequence number twice', (c) => [c.seal(Buffer.from('a'), 0), c.seal(Buffer.from('b'), 0)]],
      ['out-of-order sequence number', (c) => [c.seal(Buffer.from('a'), 1)]],
    ];
    for (const [name, make] of cases) {
      const { server, client } = pair();
      const messages = make(client);
      const last = messages.pop();
      for (const message of messages) server.unseal(message);
      expect(() => server.unseal(last ?? { header: Buffer.alloc(0), data: Buffer.alloc(0) }), name).toThrow(MessageSecurityError);
      // After a failure the context is unusable in both directions.
      expect(() => server.seal(Buffer.from('x')), name).toThrow(MessageSecurityError);
    }
  });

  it('signs and verifies without sealing, and restarts a direction\'s RC4 stream on request', () => {
    const server = new NtlmSessionSecurity(spec.RANDOM_SESSION_KEY, FLAGS);
    const clientSeal = new Rc4(spec.KEYS.clientSealing128);
    const mechList = Buffer.from('3014060a2b06010401823702020a', 'hex');
    server.verify(mechList, computeSignature(spec.KEYS.clientSigning, clientSeal, 0, mechList));
    server.resetCipher('receive');
    const fresh = new Rc4(spec.KEYS.clientSealing128);
    const data = fresh.process(Buffer.from('first request'));
    const header = computeSignature(spec.KEYS.clientSigning, fresh, 1, Buffer.from('first request'));
    expect(server.unseal({ header, data }).toString()).toBe('first request');

    const signature = server.sign(mechList);
    const serverSeal = new Rc4(spec.KEYS.serverSealing128);
    expect(signature).toEqual(computeSignature(spec.KEYS.serverSigning, serverSeal, 0, mechList));
    expect(() => { server.verify(mechList, signature); }).toThrow(MessageSecurityError);
  });

  it('refuses to seal when SEAL was not negotiated, and needs extended session security', () => {
    const signOnly = new NtlmSessionSecurity(spec.RANDOM_SESSION_KEY, combineFlags(ESS, NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN));
    expect(() => signOnly.seal(Buffer.from('x'))).toThrow(MessageSecurityError);
    expect(() => new NtlmSessionSecurity(spec.RANDOM_SESSION_KEY, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL)).toThrow(RangeError);
  });
});
