import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AvId, encodeAvPairs, parseAvPairs, textAvPair } from '../../../../auth/ntlm/av-pairs.js';
import { gssChannelBindingsHash, tlsServerEndPointHash } from '../../../../auth/ntlm/channel-bindings.js';
import { buildChallengeMessage, challengeFlags, parseAuthenticateMessage, parseNegotiateMessage } from '../../../../auth/ntlm/messages.js';
import { NtlmMessageError } from '../../../../auth/ntlm/wire.js';
import { buildAuthenticate, buildNegotiate } from './ntlm-test-client.js';
import * as spec from './spec-vectors.js';

const hex = (value: string): Buffer => Buffer.from(value.replace(/\s+/g, ''), 'hex');

describe('NEGOTIATE_MESSAGE', () => {
  it('parses what Windows clients send', () => {
    expect(parseNegotiateMessage(buildNegotiate())).toEqual({
      negotiateFlags: 0xe20882b7,
      domainName: undefined,
      workstation: undefined,
      version: { productMajorVersion: 10, productMinorVersion: 0, productBuild: 19041, ntlmRevisionCurrent: 15 },
    });
  });

  it('reads the OEM domain and workstation when their flags say so', () => {
    const message = hex(`4e544c4d53535000 01000000 00300002 04000400 28000000 04000400 2c000000
      010101000000000f 636166e9 636166e9`);
    expect(parseNegotiateMessage(message)).toMatchObject({ domainName: 'café', workstation: 'café' });
  });

  it('accepts the 16-byte form and refuses other message types and out-of-bounds fields', () => {
    expect(parseNegotiateMessage(hex('4e544c4d53535000 01000000 01000000')).negotiateFlags).toBe(1);
    expect(() => parseNegotiateMessage(spec.CHALLENGE_MESSAGE)).toThrow(NtlmMessageError);
    const outside = hex('4e544c4d53535000 01000000 00100000 04000400 ff000000 0000000000000000');
    expect(() => parseNegotiateMessage(outside)).toThrow(NtlmMessageError);
  });
});

describe('CHALLENGE_MESSAGE', () => {
  it('reproduces the MS-NLMP 4.2.4.3 CHALLENGE_MESSAGE byte for byte', () => {
    const built = buildChallengeMessage({
      negotiateFlags: 0xe28a8233,
      serverChallenge: spec.SERVER_CHALLENGE,
      targetName: 'Server',
      targetInfo: [textAvPair(AvId.MsvAvNbDomainName, 'Domain'), textAvPair(AvId.MsvAvNbComputerName, 'Server')],
      version: { productMajorVersion: 6, productMinorVersion: 0, productBuild: 6000, ntlmRevisionCurrent: 15 },
    });
    expect(built.toString('hex')).toBe(spec.CHALLENGE_MESSAGE.toString('hex'));
  });

  it('never grants OEM, LM_KEY or DATAGRAM', () => {
    const flags = challengeFlags(0xffffffff);
    expect(flags & 0x000000c2).toBe(0);
    expect(flags >>> 0).toBe(0xe28a8235);
  });
});

describe('AUTHENTICATE_MESSAGE', () => {
  it('parses the MS-NLMP 4.2.4.3 AUTHENTICATE_MESSAGE', () => {
    const parsed = parseAuthenticateMessage(spec.AUTHENTICATE_MESSAGE);
    expect(parsed).toMatchObject({
      negotiateFlags: 0xe2888235,
      domainName: 'Domain',
      userName: 'User',
      workstation: 'COMPUTER',
      encryptedRandomSessionKey: spec.ENCRYPTED_SESSION_KEY,
      version: { productMajorVersion: 5, productMinorVersion: 1, productBuild: 2600, ntlmRevisionCurrent: 15 },
      mic: undefined,
    });
    expect(parsed.ntlmv2?.ntProofStr).toEqual(spec.NT_PROOF_STR);
    expect(parsed.ntlmv2?.clientChallenge).toEqual(spec.TEMP);
    expect(parsed.ntlmv2?.challengeFromClient).toEqual(Buffer.alloc(8, 0xaa));
    expect(parsed.ntlmv2?.avPairs.map((pair) => pair.id)).toEqual([AvId.MsvAvNbDomainName, AvId.MsvAvNbComputerName]);
  });

  it('finds the MIC at offset 72 when MsvAvFlags announces it', () => {
    const negotiate = buildNegotiate();
    const challenge = spec.CHALLENGE_MESSAGE;
    const withMic = buildAuthenticate(negotiate, challenge, { user: 'u', domain: 'd', password: 'p' }).message;
    expect(parseAuthenticateMessage(withMic).mic).toEqual(withMic.subarray(72, 88));
    const without = buildAuthenticate(negotiate, challenge, { user: 'u', domain: 'd', password: 'p', mic: false }).message;
    expect(parseAuthenticateMessage(without).mic).toBeUndefined();
  });

  it('refuses a MIC announcement without room for the MIC', () => {
    const message = Buffer.from(buildAuthenticate(buildNegotiate(), spec.CHALLENGE_MESSAGE, { user: 'u', domain: 'd', password: 'p' }).message);
    message.writeUInt32LE(80, 32); // DomainName now starts inside the MIC
    expect(() => parseAuthenticateMessage(message)).toThrow(/no room for it/);
  });

  it('refuses fields outside the message or inside the header, and odd UTF-16 lengths', () => {
    const base = spec.AUTHENTICATE_MESSAGE;
    const mutate = (offset: number, value: number, size: 2 | 4): Buffer => {
      const copy = Buffer.from(base);
      if (size === 2) copy.writeUInt16LE(value, offset);
      else copy.writeUInt32LE(value, offset);
      return copy;
    };
    expect(() => parseAuthenticateMessage(mutate(24, 0xffffff00, 4))).toThrow(NtlmMessageError); // NT offset
    expect(() => parseAuthenticateMessage(mutate(20, 0xffff, 2))).toThrow(NtlmMessageError); // NT length
    expect(() => parseAuthenticateMessage(mutate(32, 8, 4))).toThrow(/overlaps its header/);
    expect(() => parseAuthenticateMessage(mutate(36, 7, 2))).toThrow(/odd UTF-16/);
    expect(() => parseAuthenticateMessage(base.subarray(0, 63))).toThrow(NtlmMessageError);
  });

  it('treats a 24-byte NT response as NTLMv1 and refuses NT responses of impossible lengths', () => {
    const v1 = hex(`4e544c4d53535000 03000000 00000000 40000000 18001800 40000000 ${'00000000 40000000 '.repeat(4)} 01000000
      ${'11'.repeat(24)}`);
    expect(parseAuthenticateMessage(v1).ntlmv2).toBeUndefined();
    const short = Buffer.from(v1);
    short.writeUInt16LE(20, 20);
    expect(() => parseAuthenticateMessage(short)).toThrow(/too short/);
  });
});

describe('AV pairs', () => {
  it('round-trips and requires MsvAvEOL', () => {
    const pairs = [textAvPair(AvId.MsvAvDnsComputerName, 'café'), { id: AvId.MsvAvFlags, value: hex('02000000') }];
    const encoded = encodeAvPairs(pairs);
    expect(parseAvPairs(Buffer.concat([encoded, Buffer.alloc(4)]))).toEqual(pairs);
    expect(() => parseAvPairs(encoded.subarray(0, encoded.length - 4))).toThrow(NtlmMessageError);
    expect(() => parseAvPairs(hex('0100 ff00 4100'))).toThrow(NtlmMessageError);
  });
});

describe('channel binding helpers', () => {
  it('hashes the gss_channel_bindings_struct with empty addresses', () => {
    const applicationData = Buffer.concat([Buffer.from('tls-server-end-point:'), Buffer.alloc(32, 0xab)]);
    const struct = Buffer.concat([Buffer.alloc(16), hex('35000000'), applicationData]);
    expect(gssChannelBindingsHash(applicationData)).toEqual(createHash('md5').update(struct).digest());
  });

  it('picks the RFC 5929 tls-server-end-point hash', () => {
    const cert = Buffer.from('not really DER');
    const digest = (name: string): Buffer => createHash(name).update(cert).digest();
    for (const algorithm of ['sha256WithRSAEncryption', 'sha1WithRSAEncryption', 'md5WithRSAEncryption', 'SHA1', 'Ed25519', '']) {
      expect(tlsServerEndPointHash(cert, algorithm), algorithm).toEqual(digest('sha256'));
    }
    for (const algorithm of ['sha384', 'SHA-384', 'ecdsa-with-SHA384', 'sha384WithRSAEncryption', '1.2.840.113549.1.1.12']) {
      expect(tlsServerEndPointHash(cert, algorithm), algorithm).toEqual(digest('sha384'));
    }
    for (const algorithm of ['sha512WithRSAEncryption', 'RSA-SHA512', '1.2.840.10045.4.3.4']) {
      expect(tlsServerEndPointHash(cert, algorithm), algorithm).toEqual(digest('sha512'));
    }
  });
});
