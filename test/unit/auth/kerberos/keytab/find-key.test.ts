import { describe, expect, it } from 'vitest';
import { ETYPE } from '../../../../../auth/kerberos/crypto/index.js';
import { findKey, parseKeytab, serializeKeytab, type KeytabEntry } from '../../../../../auth/kerberos/keytab/keytab.js';

let marker = 0;
/** An entry whose key's first byte identifies it in assertions. */
function entry(components: string[], realm: string, kvno: number, enctype: number): KeytabEntry {
  marker += 1;
  const key = Buffer.alloc(enctype === ETYPE.aes256CtsHmacSha1_96 ? 32 : 16, marker);
  return { principal: { realm, components, nameType: 3 }, timestamp: 0, kvno, enctype, key };
}

describe('findKey', () => {
  const http = ['HTTP', 'srv01.example.com'];
  const entries = parseKeytab(
    serializeKeytab([
      entry(http, 'EXAMPLE.COM', 2, ETYPE.aes256CtsHmacSha1_96), // 1
      entry(http, 'EXAMPLE.COM', 3, ETYPE.aes256CtsHmacSha1_96), // 2
      entry(http, 'EXAMPLE.COM', 3, ETYPE.rc4Hmac), // 3
      entry(http, 'EXAMPLE.COM', 1, ETYPE.aes256CtsHmacSha1_96), // 4
      entry(['host', 'srv01.example.com'], 'EXAMPLE.COM', 5, ETYPE.aes256CtsHmacSha1_96), // 5
      entry(['HTTP', 'SRV01.EXAMPLE.COM'], 'EXAMPLE.COM', 9, ETYPE.aes128CtsHmacSha1_96), // 6
      entry(['http', 'srv01.example.com'], 'example.com', 9, ETYPE.aes128CtsHmacSha1_96), // 7
      entry(http, 'OTHER.REALM', 4, ETYPE.rc4Hmac), // 8
      entry(http, 'EXAMPLE.COM', 4, ETYPE.rc4Hmac), // 9
    ]),
  );
  const pick = (query: Parameters<typeof findKey>[1]): number | undefined => findKey(entries, query)?.key[0];

  it('takes the highest kvno when the ticket names none', () => {
    expect(pick({ components: http, realm: 'EXAMPLE.COM', enctype: ETYPE.aes256CtsHmacSha1_96 })).toBe(2);
  });

  it('takes the requested kvno and enctype exactly', () => {
    expect(pick({ components: http, realm: 'EXAMPLE.COM', kvno: 2, enctype: ETYPE.aes256CtsHmacSha1_96 })).toBe(1);
    expect(pick({ components: http, realm: 'EXAMPLE.COM', kvno: 1, enctype: ETYPE.aes256CtsHmacSha1_96 })).toBe(4);
    expect(pick({ components: http, realm: 'EXAMPLE.COM', kvno: 3, enctype: ETYPE.rc4Hmac })).toBe(3);
    expect(pick({ components: http, realm: 'EXAMPLE.COM', kvno: 7, enctype: ETYPE.aes256CtsHmacSha1_96 })).toBeUndefined();
    expect(pick({ components: http, realm: 'EXAMPLE.COM', enctype: ETYPE.aes128CtsHmacSha256_128 })).toBeUndefined();
  });

  it('matches an 8-bit kvno modulo 256 (old keytabs), preferring an exact kvno', () => {
    const legacy = [entry(http, 'R', 4, ETYPE.rc4Hmac), entry(http, 'R', 260, ETYPE.rc4Hmac)];
    expect(findKey(legacy, { components: http, kvno: 260, enctype: ETYPE.rc4Hmac })).toBe(legacy[1]);
    expect(findKey(legacy.slice(0, 1), { components: http, kvno: 260, enctype: ETYPE.rc4Hmac })).toBe(legacy[0]);
    expect(findKey(legacy.slice(1), { components: http, kvno: 4, enctype: ETYPE.rc4Hmac })).toBeUndefined();
  });

  it('compares names and realms without regard to case, preferring an exact-case entry', () => {
    expect(pick({ components: ['http', 'Srv01.Example.Com'], realm: 'example.com', kvno: 3, enctype: ETYPE.rc4Hmac })).toBe(3);
    expect(pick({ components: ['HTTP', 'SRV01.EXAMPLE.COM'], realm: 'EXAMPLE.COM', enctype: ETYPE.aes128CtsHmacSha1_96 })).toBe(6);
    expect(pick({ components: ['http', 'srv01.example.com'], realm: 'example.com', enctype: ETYPE.aes128CtsHmacSha1_96 })).toBe(7);
    // Neither is exact: the earlier entry wins.
    expect(pick({ components: ['Http', 'srv01.example.com'], realm: 'Example.Com', enctype: ETYPE.aes128CtsHmacSha1_96 })).toBe(6);
  });

  it('uses the realm when given and any realm otherwise', () => {
    expect(pick({ components: http, realm: 'OTHER.REALM', enctype: ETYPE.rc4Hmac })).toBe(8);
    expect(pick({ components: http, realm: 'EXAMPLE.COM', enctype: ETYPE.rc4Hmac })).toBe(9);
    expect(pick({ components: http, realm: undefined, kvno: undefined, enctype: ETYPE.rc4Hmac })).toBe(8);
    expect(pick({ components: http, realm: 'NOWHERE', enctype: ETYPE.rc4Hmac })).toBeUndefined();
  });

  it('distinguishes services and requires the same number of components', () => {
    expect(pick({ components: ['host', 'srv01.example.com'], enctype: ETYPE.aes256CtsHmacSha1_96 })).toBe(5);
    expect(pick({ components: ['WSMAN', 'srv01.example.com'], enctype: ETYPE.aes256CtsHmacSha1_96 })).toBeUndefined();
    expect(pick({ components: ['HTTP'], enctype: ETYPE.aes256CtsHmacSha1_96 })).toBeUndefined();
    expect(pick({ components: [...http, 'extra'], enctype: ETYPE.aes256CtsHmacSha1_96 })).toBeUndefined();
    expect(findKey([], { components: http, enctype: ETYPE.rc4Hmac })).toBeUndefined();
  });
});
