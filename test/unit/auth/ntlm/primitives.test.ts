import { describe, expect, it } from 'vitest';
import { md4 } from '../../../../auth/ntlm/md4.js';
import { ntHash } from '../../../../auth/ntlm/nt-hash.js';
import { Rc4, rc4k } from '../../../../auth/ntlm/rc4.js';

const hex = (value: string): Buffer => Buffer.from(value.replace(/\s+/g, ''), 'hex');

describe('md4 (RFC 1320 A.5 test suite)', () => {
  const suite: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  for (const [input, digest] of suite) {
    it(`MD4("${input.slice(0, 20)}${input.length > 20 ? '…' : ''}")`, () => {
      expect(md4(Buffer.from(input, 'ascii')).toString('hex')).toBe(digest);
    });
  }

  it('pads correctly around the 55/56/64-byte block boundaries', () => {
    // Lengths where the 0x80 byte and the length field straddle a block; digests from OpenSSL's MD4.
    const byLength: Record<number, string> = {
      55: 'c889c81dd86c4d2e025778944ea02881',
      56: 'd5f9a9e9257077a5f08b0b92f348b0ad',
      63: '7ea3da77432d44c323671097d1348fc8',
      64: '52f5076fabd22680234a3fa9f9dc5732',
      65: '330e377bf231f3cacfecc2c182fe7e5b',
    };
    for (const [length, digest] of Object.entries(byLength)) {
      expect(md4(Buffer.alloc(Number(length), 0x61)).toString('hex'), `length ${length}`).toBe(digest);
    }
  });
});

describe('rc4 (RFC 6229 §2 key-stream vectors)', () => {
  // Offset → 16 key-stream bytes, for the 40-bit key 0x0102030405 and the 128-bit key 0x0102…10.
  const vectors: Record<string, Record<number, string>> = {
    '0102030405': {
      0: 'b2396305f03dc027ccc3524a0a1118a8', 16: '6982944f18fc82d589c403a47a0d0919',
      240: '28cb1132c96ce286421dcaadb8b69eae', 256: '1cfcf62b03eddb641d77dfcf7f8d8c93',
      496: '42b7d0cdd918a8a33dd51781c81f4041', 512: '6459844432a7da923cfb3eb4980661f6',
      752: 'ec10327bde2beefd18f9277680457e22', 768: 'eb62638d4f0ba1fe9fca20e05bf8ff2b',
      1008: '45129048e6a0ed0b56b490338f078da5', 1024: '30abbcc7c20b01609f23ee2d5f6bb7df',
      1520: '3294f744d8f9790507e70f62e5bbceea', 1536: 'd8729db41882259bee4f825325f5a130',
      2032: '1eb14a0c13b3bf47fa2a0ba93ad45b8b', 2048: 'cc582f8ba9f265e2b1be9112e975d2d7',
      3056: 'f2e30f9bd102ecbf75aaade9bc35c43c', 3072: 'ec0e11c479dc329dc8da7968fe965681',
      4080: '068326a2118416d21f9d04b2cd1ca050', 4096: 'ff25b58995996707e51fbdf08b34d875',
    },
    '0102030405060708090a0b0c0d0e0f10': {
      0: '9ac7cc9a609d1ef7b2932899cde41b97', 16: '5248c4959014126a6e8a84f11d1a9e1c',
      240: '065902e4b620f6cc36c8589f66432f2b', 256: 'd39d566bc6bce3010768151549f3873f',
      496: 'b6d1e6c4a5e4771cad79538df295fb11', 512: 'c68c1d5c559a974123df1dbc52a43b89',
      1008: 'e7a72574f8782ae26aabcf9ebcd66065', 1024: 'bdf0324e6083dcc6d3cedd3ca8c53c16',
      4080: 'ff38265c1642c1abe8d3c2fe5e572bf8', 4096: 'a36a4c301ae8ac13610ccbc12256cacc',
    },
  };

  for (const [key, offsets] of Object.entries(vectors)) {
    it(`matches the key stream for key ${key}`, () => {
      const stream = rc4k(hex(key), Buffer.alloc(4112));
      for (const [offset, expected] of Object.entries(offsets)) {
        const at = Number(offset);
        expect(stream.subarray(at, at + 16).toString('hex'), `offset ${offset}`).toBe(expected);
      }
    });
  }

  it('continues the key stream across calls, whatever the chunk sizes', () => {
    const key = hex('0102030405');
    const whole = rc4k(key, Buffer.alloc(1040));
    const handle = new Rc4(key);
    const pieces = [1, 15, 224, 0, 256, 7, 537].map((size) => handle.process(Buffer.alloc(size)));
    expect(Buffer.concat(pieces)).toEqual(whole);
  });

  it('decrypts what it encrypts', () => {
    const key = Buffer.from('a session key!!!');
    const plaintext = Buffer.from('the quick brown fox');
    expect(rc4k(key, rc4k(key, plaintext))).toEqual(plaintext);
  });

  it('rejects empty and oversized keys', () => {
    expect(() => new Rc4(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => new Rc4(Buffer.alloc(257))).toThrow(RangeError);
  });
});

describe('ntHash (NTOWFv1)', () => {
  it('matches MS-NLMP 4.2.1 for the password "Password"', () => {
    expect(ntHash('Password').toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  it('hashes the UTF-16LE form, so non-ASCII passwords work', () => {
    expect(ntHash('pässwörd')).toEqual(md4(Buffer.from('pässwörd', 'utf16le')));
    expect(ntHash('')).toEqual(md4(Buffer.alloc(0)));
  });
});
