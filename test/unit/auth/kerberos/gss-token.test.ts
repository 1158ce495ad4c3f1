import { describe, expect, it } from 'vitest';
import { KerberosMessageError } from '../../../../auth/kerberos/errors.js';
import { TokId, buildGssKrb5Token, looksLikeKerberos, parseGssKrb5Token } from '../../../../auth/kerberos/gss-token.js';
import { MIT_AP_REQ } from './mit-vectors.js';

const KRB5 = '1.2.840.113554.1.2.2';
const MS_KRB5 = '1.2.840.48018.1.2.2';

describe('GSS krb5 token framing [RFC 2743 §3.1, RFC 4121 §4.1]', () => {
  it('frames an AP-REQ as 60 len 06 09 2A864886F712010202 01 00 <AP-REQ> (notes §1.6)', () => {
    const token = buildGssKrb5Token(KRB5, TokId.apReq, MIT_AP_REQ);
    // 11 bytes of OID, 2 of TOK_ID, 160 of AP-REQ = 173 = 0x81 0xAD in long form.
    expect(token.subarray(0, 16).toString('hex')).toBe('6081ad06092a864886f7120102020100');
    expect(token.subarray(16)).toEqual(MIT_AP_REQ);
    expect(parseGssKrb5Token(token)).toEqual({ mech: KRB5, tokId: 0x0100, message: MIT_AP_REQ });
  });

  it('accepts the MS OID 1.2.840.48018.1.2.2 and reports it, so the reply can echo it', () => {
    const token = buildGssKrb5Token(MS_KRB5, TokId.apRep, Buffer.from([1, 2, 3]));
    expect(token.toString('hex')).toBe('601006092a864882f7120102020200010203');
    expect(parseGssKrb5Token(token)).toEqual({ mech: MS_KRB5, tokId: 0x0200, message: Buffer.from([1, 2, 3]) });
  });

  it('uses short, one-byte and two-byte DER lengths', () => {
    for (const size of [1, 114, 115, 200, 300, 70_000]) {
      const message = Buffer.alloc(size, 0x6e);
      const parsed = parseGssKrb5Token(buildGssKrb5Token(KRB5, TokId.krbError, message));
      expect(parsed.message.length).toBe(size);
      expect(parsed.tokId).toBe(0x0300);
    }
  });

  it('recognises krb5 tokens and bare AP-REQs for dispatch, not SPNEGO or NTLM', () => {
    expect(looksLikeKerberos(buildGssKrb5Token(KRB5, TokId.apReq, MIT_AP_REQ))).toBe(true);
    expect(looksLikeKerberos(MIT_AP_REQ)).toBe(true);
    expect(looksLikeKerberos(Buffer.from('604806062b0601050502a03e', 'hex'))).toBe(false);
    expect(looksLikeKerberos(Buffer.from('NTLMSSP\0'))).toBe(false);
  });

  const bad: readonly (readonly [string, string])[] = [
    ['empty', ''],
    ['not APPLICATION 0', '610e06092a864886f71201020201006e'],
    ['length too long', '601006092a864886f71201020201006e'],
    ['length too short', '600c06092a864886f71201020201006e'],
    ['SPNEGO OID', '600a06062b06010505020100'],
    ['no TOK_ID', '600c06092a864886f7120102020a'],
    ['OID not OBJECT IDENTIFIER', '600e04092a864886f71201020201006e'],
    ['indefinite length', '608006092a864886f71201020201006e'],
    ['five-byte length', '608500000000'],
  ];

  it.each(bad)('rejects %s', (_name, hex) => {
    expect(() => parseGssKrb5Token(Buffer.from(hex, 'hex'))).toThrow(KerberosMessageError);
  });
});
