import { describe, expect, it } from 'vitest';
import { aesEncryptBlock } from '../../../../../auth/kerberos/crypto/aes-cts.js';
import { aesDeriveKey, deriveRandom, KEY_PURPOSE, usageConstant } from '../../../../../auth/kerberos/crypto/derive-key.js';
import { nfold } from '../../../../../auth/kerberos/crypto/nfold.js';
import { hex } from './helpers.js';

describe('n-fold (RFC 3961 A.1)', () => {
  const vectors: [number, string, string][] = [
    [64, '012345', 'be072631276b1955'],
    [56, 'password', '78a07b6caf85fa'],
    [64, 'Rough Consensus, and Running Code', 'bb6ed30870b7f0e0'],
    [168, 'password', '59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e'],
    [192, 'MASSACHVSETTS INSTITVTE OF TECHNOLOGY', 'db3b0d8f0b061e603282b308a50841229ad798fab9540c1b'],
    [168, 'Q', '518a54a215a8452a518a54a215a8452a518a54a215'],
    [168, 'ba', 'fb25d531ae8974499f52fd92ea9857c4ba24cf297e'],
    [64, 'kerberos', '6b65726265726f73'],
    [128, 'kerberos', '6b65726265726f737b9b5b2b93132b93'],
    [168, 'kerberos', '8372c236344e5f1550cd0747e15d62ca7a5a3bcea4'],
    [256, 'kerberos', '6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4'],
  ];
  for (const [bits, input, expected] of vectors) {
    it(`${bits}-fold("${input}")`, () => {
      expect(nfold(Buffer.from(input, 'ascii'), bits).toString('hex')).toBe(expected);
    });
  }

  it('is the identity when the input already has the output size', () => {
    const block = hex('00112233445566778899aabbccddeeff');
    expect(nfold(block, 128)).toEqual(block);
  });

  it('rejects sizes that are not whole bytes and empty input', () => {
    expect(() => nfold(Buffer.from('a'), 12)).toThrow(RangeError);
    expect(() => nfold(Buffer.from('a'), 0)).toThrow(RangeError);
    expect(() => nfold(Buffer.alloc(0), 128)).toThrow(RangeError);
  });
});

describe('DR / DK (RFC 3961 5.1) for AES', () => {
  it('builds the usage constants as BE32(usage) ‖ purpose', () => {
    expect(usageConstant(2, KEY_PURPOSE.checksum).toString('hex')).toBe('0000000299');
    expect(usageConstant(24, KEY_PURPOSE.encryption).toString('hex')).toBe('00000018aa');
    expect(usageConstant(0x01020304, KEY_PURPOSE.integrity).toString('hex')).toBe('0102030455');
    expect(() => usageConstant(-1, KEY_PURPOSE.integrity)).toThrow(RangeError);
    expect(() => usageConstant(2 ** 32, KEY_PURPOSE.integrity)).toThrow(RangeError);
  });

  it('DK(tkey, "kerberos") turns the RFC 3962 B PBKDF2 outputs into the published keys', () => {
    // RFC 3962 Appendix B, iteration count 1: PBKDF2 output -> AES key (this checks DK alone).
    const kerberos = Buffer.from('kerberos', 'ascii');
    expect(aesDeriveKey(hex('cdedb5281bb2f801565a1122b2563515'), kerberos).toString('hex')).toBe(
      '42263c6e89f4fc28b8df68ee09799f15',
    );
    expect(
      aesDeriveKey(hex('cdedb5281bb2f801565a1122b25635150ad1f7a04bb9f3a333ecc0e2e1f70837'), kerberos).toString('hex'),
    ).toBe('fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161');
  });

  it('iterates E over its own output: K1 = E(n-fold(c)), K2 = E(K1)', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const constant = usageConstant(11, KEY_PURPOSE.encryption);
    const k1 = aesEncryptBlock(key, nfold(constant, 128));
    const k2 = aesEncryptBlock(key, k1);
    expect(aesDeriveKey(key, constant)).toEqual(Buffer.concat([k1, k2]));
    expect(deriveRandom((block) => aesEncryptBlock(key, block), 16, constant, 20)).toEqual(
      Buffer.concat([k1, k2.subarray(0, 4)]),
    );
  });
});
