import { describe, expect, it } from 'vitest';
import { NtlmAcceptor } from '../../../../auth/ntlm/acceptor.js';
import { NegotiateFlags, combineFlags } from '../../../../auth/ntlm/flags.js';
import { ntHash } from '../../../../auth/ntlm/nt-hash.js';
import {
  computeMic,
  computeNtProofStr,
  exportedSessionKey,
  ntowfv2,
  sessionBaseKey,
  upcaseUserName,
  verifyMic,
  verifyNtProofStr,
} from '../../../../auth/ntlm/ntlmv2.js';
import { rc4k } from '../../../../auth/ntlm/rc4.js';
import { buildNegotiate } from './ntlm-test-client.js';
import * as spec from './spec-vectors.js';

const KEY_EXCH_SEAL = combineFlags(
  NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN,
);

describe('NTLMv2 (MS-NLMP 4.2.4 vectors)', () => {
  it('derives ResponseKeyNT (NTOWFv2)', () => {
    expect(ntowfv2(ntHash('Password'), 'User', 'Domain')).toEqual(spec.RESPONSE_KEY_NT);
  });

  it('computes and verifies NTProofStr over the client bytes', () => {
    expect(computeNtProofStr(spec.RESPONSE_KEY_NT, spec.SERVER_CHALLENGE, spec.TEMP)).toEqual(spec.NT_PROOF_STR);
    expect(verifyNtProofStr(spec.RESPONSE_KEY_NT, spec.SERVER_CHALLENGE, spec.NT_PROOF_STR, spec.TEMP)).toBe(true);
    const flipped = Buffer.from(spec.NT_PROOF_STR);
    flipped.writeUInt8(flipped.readUInt8(15) ^ 0x80, 15);
    expect(verifyNtProofStr(spec.RESPONSE_KEY_NT, spec.SERVER_CHALLENGE, flipped, spec.TEMP)).toBe(false);
    expect(verifyNtProofStr(spec.RESPONSE_KEY_NT, spec.SERVER_CHALLENGE, spec.NT_PROOF_STR.subarray(0, 8), spec.TEMP)).toBe(false);
  });

  it('derives SessionBaseKey and recovers the exported key from the encrypted session key', () => {
    const base = sessionBaseKey(spec.RESPONSE_KEY_NT, spec.NT_PROOF_STR);
    expect(base).toEqual(spec.SESSION_BASE_KEY);
    expect(rc4k(base, spec.RANDOM_SESSION_KEY)).toEqual(spec.ENCRYPTED_SESSION_KEY);
    expect(exportedSessionKey(base, KEY_EXCH_SEAL, spec.ENCRYPTED_SESSION_KEY)).toEqual(spec.RANDOM_SESSION_KEY);
  });

  it('uses the KeyExchangeKey itself without KEY_EXCH, and refuses a short encrypted key with it', () => {
    const base = spec.SESSION_BASE_KEY;
    expect(exportedSessionKey(base, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL, Buffer.alloc(0))).toEqual(base);
    expect(exportedSessionKey(base, NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH, Buffer.alloc(0))).toEqual(base); // no SIGN/SEAL
    expect(exportedSessionKey(base, KEY_EXCH_SEAL, Buffer.alloc(15))).toBeUndefined();
  });

  it('computes the MIC over the messages with the MIC field zeroed', () => {
    const authenticate = Buffer.alloc(100, 0x42);
    const mic = computeMic(spec.RANDOM_SESSION_KEY, Buffer.from('neg'), Buffer.from('chal'), authenticate);
    mic.copy(authenticate, 72);
    expect(verifyMic(spec.RANDOM_SESSION_KEY, Buffer.from('neg'), Buffer.from('chal'), authenticate, mic)).toBe(true);
    expect(verifyMic(spec.RANDOM_SESSION_KEY, Buffer.from('neG'), Buffer.from('chal'), authenticate, mic)).toBe(false);
    expect(authenticate.subarray(72, 88)).toEqual(mic); // the caller's buffer is not modified
  });

  it('upper-cases user names one UTF-16 unit at a time, as Windows does', () => {
    expect(upcaseUserName('user')).toBe('USER');
    expect(upcaseUserName('jürgen')).toBe('JÜRGEN');
    expect(upcaseUserName('straße')).toBe('STRAßE'); // not "STRASSE"
    expect(upcaseUserName('𐐨x')).toBe('𐐨X'); // astral letters stay
  });

  it('authenticates the MS-NLMP 4.2.4.3 AUTHENTICATE_MESSAGE and unseals the 4.2.4.4 message', async () => {
    const acceptor = new NtlmAcceptor({
      lookupAccount: (user, domain) =>
        Promise.resolve(user === 'User' && domain === 'Domain' ? { accountName: 'user', ntHash: ntHash('Password') } : undefined),
      names: { netbiosComputer: 'Server', netbiosDomain: 'Domain', dnsComputer: '', dnsDomain: '' },
      randomBytes: () => Buffer.from(spec.SERVER_CHALLENGE),
      maxClockSkewMs: Infinity, // the example's TimeStamp is zero (1601)
    });
    expect((await acceptor.step(buildNegotiate())).kind).toBe('continue');
    const result = await acceptor.step(spec.AUTHENTICATE_MESSAGE);
    expect(result).toEqual({
      kind: 'complete',
      token: undefined,
      identity: { accountName: 'user', clientUserName: 'User', clientDomain: 'Domain', mechanism: 'NTLM' },
    });
    expect(acceptor.authenticateHadMic).toBe(false);
    // ExportedSessionKey = 55×16, so the spec's client-sealed "Plaintext" unseals at sequence 0.
    expect(acceptor.unwrap({ header: spec.SIGNATURE, data: spec.SEALED })).toEqual(spec.PLAINTEXT);
  });
});
