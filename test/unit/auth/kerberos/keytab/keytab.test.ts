import { describe, expect, it } from 'vitest';
import { enctypeById, ETYPE, type AesSha1EncryptionType } from '../../../../../auth/kerberos/crypto/index.js';
import { aes128CtsHmacSha256_128, aes256CtsHmacSha384_192 } from '../../../../../auth/kerberos/crypto/aes-sha2.js';
import { rc4Hmac } from '../../../../../auth/kerberos/crypto/rc4-hmac.js';
import {
  KeytabError,
  parseKeytab,
  principalName,
  serializeKeytab,
  serializeKeytabEntry,
  type KeytabEntry,
} from '../../../../../auth/kerberos/keytab/keytab.js';
import { hex } from '../crypto/helpers.js';

/**
 * Written by MIT ktutil 1.20 (`addent -password … -k 3 -e <etype>` four times for
 * HTTP/srv01.example.com@EXAMPLE.COM, then host/… with -k 300 -e rc4-hmac; password "Secret123!";
 * `wkt`). Note the rc4 entry: vno8 = 0x2c (300 mod 256) followed by the 32-bit kvno 0x12c.
 */
const MIT_KEYTAB = hex(`
0502000000590002000b4558414d504c452e434f4d000448545450001173727630312e6578616d706c652e636f6d0000
00016b08606c03001200206c82d82d74acdcd989942b2cb2437f342fd95614c94a70905e1ee6f1c9eee7e70000000300
0000490002000b4558414d504c452e434f4d000448545450001173727630312e6578616d706c652e636f6d000000016b
08606c0300110010a7e9ca6effe79962f4001d6430c31ea600000003000000490002000b4558414d504c452e434f4d00
0448545450001173727630312e6578616d706c652e636f6d000000016b08606c0300130010557bdae16bbb595f02550b
967b7fc5af00000003000000590002000b4558414d504c452e434f4d000448545450001173727630312e6578616d706c
652e636f6d000000016b08606c0300140020ab840cc8d746fe3ca1f98d89b16a6d95dd76c58b664b118ae508b917f535
6a1600000003000000490002000b4558414d504c452e434f4d0004686f7374001173727630312e6578616d706c652e63
6f6d000000016b08606c2c0017001059c33a2751c7dad20de6fc7e03891bdb0000012c`);

describe('parseKeytab on a keytab written by MIT ktutil', () => {
  const entries = parseKeytab(MIT_KEYTAB);

  it('reads every entry, principal, timestamp and kvno', () => {
    expect(entries.map((e) => [principalName(e), e.kvno, e.enctype, e.key.length])).toEqual([
      ['HTTP/srv01.example.com@EXAMPLE.COM', 3, 18, 32],
      ['HTTP/srv01.example.com@EXAMPLE.COM', 3, 17, 16],
      ['HTTP/srv01.example.com@EXAMPLE.COM', 3, 19, 16],
      ['HTTP/srv01.example.com@EXAMPLE.COM', 3, 20, 32],
      ['host/srv01.example.com@EXAMPLE.COM', 300, 23, 16],
    ]);
    expect(entries[0]?.principal).toEqual({ realm: 'EXAMPLE.COM', components: ['HTTP', 'srv01.example.com'], nameType: 1 });
    expect(entries.every((e) => e.timestamp === 0x6b08606c)).toBe(true);
  });

  it('holds the keys that string-to-key derives with the default salt (cross-check with MIT)', () => {
    const salt = 'EXAMPLE.COMHTTPsrv01.example.com';
    for (const entry of entries.slice(0, 2)) {
      const enctype = enctypeById(entry.enctype) as AesSha1EncryptionType;
      expect(enctype.stringToKey('Secret123!', salt), enctype.name).toEqual(entry.key);
    }
    expect(aes128CtsHmacSha256_128.stringToKey('Secret123!', salt)).toEqual(entries[2]?.key);
    expect(aes256CtsHmacSha384_192.stringToKey('Secret123!', salt)).toEqual(entries[3]?.key);
    expect(rc4Hmac.stringToKey('Secret123!')).toEqual(entries[4]?.key);
  });

  it('round-trips through serializeKeytab byte for byte', () => {
    expect(serializeKeytab(entries)).toEqual(MIT_KEYTAB);
  });
});

/** An entry encoded field by field, independently of serialize.ts. */
function rawEntry(fields: { realm: string; components: string[]; vno8: number; etype: number; key: Buffer; tail?: Buffer }): Buffer {
  const u16 = (n: number) => Buffer.of(n >> 8, n & 0xff);
  const u32 = (n: number) => Buffer.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const str = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
  const body = Buffer.concat([
    u16(fields.components.length),
    str(fields.realm),
    ...fields.components.map(str),
    u32(3), // KRB5_NT_SRV_HST
    u32(1_700_000_000),
    Buffer.of(fields.vno8),
    u16(fields.etype),
    u16(fields.key.length),
    fields.key,
    fields.tail ?? Buffer.alloc(0),
  ]);
  return Buffer.concat([u32(body.length), body]);
}

const hole = (length: number): Buffer => {
  const size = Buffer.alloc(4);
  size.writeInt32BE(-length, 0);
  return Buffer.concat([size, Buffer.alloc(length, 0xee)]);
};

describe('parseKeytab on a hand-built keytab', () => {
  const http = ['HTTP', 'srv01.example.com'];
  const bytes = Buffer.concat([
    Buffer.of(0x05, 0x02),
    rawEntry({ realm: 'EXAMPLE.COM', components: http, vno8: 1, etype: 23, key: Buffer.alloc(16, 1) }),
    hole(37),
    rawEntry({ realm: 'EXAMPLE.COM', components: http, vno8: 2, etype: 18, key: Buffer.alloc(32, 2), tail: hex('00000002') }),
    // 32-bit kvno 258 overrides vno8 2; the 4 bytes after it (Heimdal flags) are ignored.
    rawEntry({ realm: 'EXAMPLE.COM', components: http, vno8: 2, etype: 18, key: Buffer.alloc(32, 3), tail: hex('00000102 00000001') }),
    hole(8),
    // A zero 32-bit kvno leaves vno8 in force; a 3-byte tail is too short to be a kvno.
    rawEntry({ realm: 'EXAMPLE.COM', components: http, vno8: 7, etype: 17, key: Buffer.alloc(16, 4), tail: hex('00000000') }),
    rawEntry({ realm: 'EXAMPLE.COM', components: ['WSMAN', 'srv01'], vno8: 9, etype: 17, key: Buffer.alloc(16, 5), tail: hex('0000ff') }),
  ]);

  it('skips holes and applies the 32-bit kvno rules', () => {
    const entries = parseKeytab(bytes);
    expect(entries.map((e) => [principalName(e), e.kvno, e.enctype, e.key[0]])).toEqual([
      ['HTTP/srv01.example.com@EXAMPLE.COM', 1, ETYPE.rc4Hmac, 1],
      ['HTTP/srv01.example.com@EXAMPLE.COM', 2, ETYPE.aes256CtsHmacSha1_96, 2],
      ['HTTP/srv01.example.com@EXAMPLE.COM', 258, ETYPE.aes256CtsHmacSha1_96, 3],
      ['HTTP/srv01.example.com@EXAMPLE.COM', 7, ETYPE.aes128CtsHmacSha1_96, 4],
      ['WSMAN/srv01@EXAMPLE.COM', 9, ETYPE.aes128CtsHmacSha1_96, 5],
    ]);
    expect(entries[0]?.principal.nameType).toBe(3);
  });

  it('copies key bytes out of the input buffer', () => {
    const input = Buffer.from(bytes);
    const [first] = parseKeytab(input);
    input.fill(0);
    expect(first?.key).toEqual(Buffer.alloc(16, 1));
  });

  it('stops at an entry size of 0 like MIT and accepts an empty keytab', () => {
    expect(parseKeytab(Buffer.concat([bytes, Buffer.alloc(4), Buffer.from('junk after the end')]))).toHaveLength(5);
    expect(parseKeytab(Buffer.of(0x05, 0x02))).toEqual([]);
  });
});

describe('parseKeytab errors', () => {
  const good = rawEntry({ realm: 'R', components: ['a'], vno8: 1, etype: 17, key: Buffer.alloc(16) });
  const cases: [string, Buffer, RegExp][] = [
    ['empty input', Buffer.alloc(0), /missing the 0x05/],
    ['wrong magic', Buffer.of(0x04, 0x02), /missing the 0x05/],
    ['format 0x0501', Buffer.of(0x05, 0x01), /0x0501/],
    ['unknown format', Buffer.of(0x05, 0x03), /unknown keytab format 0x0503/],
    ['partial size field', Buffer.of(0x05, 0x02, 0x00, 0x00), /truncated entry size/],
    ['entry past the end', Buffer.concat([Buffer.of(0x05, 0x02), good.subarray(0, good.length - 1)]), /entry .* runs past the end/],
    ['hole past the end', Buffer.concat([Buffer.of(0x05, 0x02), hex('fffffff0'), Buffer.alloc(4)]), /hole .* runs past the end/],
    ['size -2^31', Buffer.concat([Buffer.of(0x05, 0x02), hex('80000000')]), /invalid entry size/],
    ['no components', Buffer.concat([Buffer.of(0x05, 0x02), hex('00000002 0000')]), /no name components/],
    ['realm overruns its entry', Buffer.concat([Buffer.of(0x05, 0x02), hex('00000006 0001 00ff 4142')]), /truncated in realm/],
    [
      'key overruns its entry',
      Buffer.concat([Buffer.of(0x05, 0x02), hex('00000015 0001 0001 52 0001 61 00000001 00000000 01 0011 0010')]),
      /truncated in key at/,
    ],
  ];
  for (const [name, input, message] of cases) {
    it(`throws KeytabError for ${name}`, () => {
      expect(() => parseKeytab(input)).toThrow(KeytabError);
      expect(() => parseKeytab(input)).toThrow(message);
    });
  }
});

describe('principalName and serializeKeytab', () => {
  const entry: KeytabEntry = {
    principal: { realm: 'EXAMPLE.COM', components: ['HTTP', 'srv01.example.com'], nameType: 2 },
    timestamp: 0,
    kvno: 0x1_0005,
    enctype: 18,
    key: Buffer.alloc(32, 9),
  };

  it('escapes separators inside components and the realm like krb5_unparse_name', () => {
    const odd = { principal: { realm: 'A@B\\C', components: ['we/ird', 'x@y', 'tab\there'], nameType: 1 } };
    expect(principalName(odd)).toBe('we\\/ird/x\\@y/tab\\there@A\\@B\\\\C');
  });

  it('keeps only the low 8 bits of the kvno without the 32-bit field', () => {
    const [withVno32] = parseKeytab(serializeKeytab([entry]));
    expect(withVno32?.kvno).toBe(0x1_0005);
    const [legacy] = parseKeytab(Buffer.concat([Buffer.of(5, 2), serializeKeytabEntry(entry, { vno32: false })]));
    expect(legacy?.kvno).toBe(5);
    expect(legacy?.key).toEqual(entry.key);
  });

  it('refuses values the format cannot hold', () => {
    expect(() => serializeKeytab([{ ...entry, kvno: -1 }])).toThrow(RangeError);
    expect(() => serializeKeytab([{ ...entry, enctype: 0x8000 }])).toThrow(RangeError);
    expect(() => serializeKeytab([{ ...entry, key: Buffer.alloc(0x10000) }])).toThrow(RangeError);
    expect(() => serializeKeytab([{ ...entry, principal: { ...entry.principal, components: [] } }])).toThrow(RangeError);
  });
});
