import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  NegState,
  SpnegoTokenError,
  buildNegTokenResp,
  looksLikeSpnego,
  parseNegTokenInit,
  parseNegTokenResp,
  parseNegotiationToken,
} from '../../../../auth/spnego/neg-token.js';
import { OID, mechanismForOid } from '../../../../auth/spnego/oids.js';
import * as capture from './captures.js';
import { OIDS, der, mechTypeList, negTokenInit, negTokenResp, rawResp } from './compose.js';
import { prng } from '../../../support/prng.js';

/** `[n] EXPLICIT inner`. */
function ctx(tagNumber: number, inner: asn1js.BaseBlock): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value: [inner] });
}

const NTLM_NEGOTIATE = Buffer.from('4e544c4d5353500001000000378208e000000000000000000000000000000000', 'hex');

describe('parseNegTokenInit', () => {
  it('reads the Windows client NegTokenInit [NTLM] with its NTLM NEGOTIATE', () => {
    const init = parseNegTokenInit(capture.WINDOWS_NEG_TOKEN_INIT);
    expect(init.mechTypes).toEqual([OID.ntlm]);
    expect(init.mechTypesDer.toString('hex')).toBe('300c060a2b06010401823702020a');
    expect(init.mechToken?.equals(capture.WINDOWS_NTLM_NEGOTIATE)).toBe(true);
    expect(init.mechListMIC).toBeUndefined();
    expect(init.reqFlags).toBeUndefined();
  });

  it('reads the MIT client NegTokenInit [KRB5, NTLM] with a Kerberos AP-REQ', () => {
    const init = parseNegTokenInit(capture.MIT_NEG_TOKEN_INIT);
    expect(init.mechTypes).toEqual([OID.kerberos, OID.ntlm]);
    expect(init.mechTypesDer.toString('hex')).toBe('301706092a864886f712010202060a2b06010401823702020a');
    expect(init.mechToken?.subarray(0, 2).toString('hex')).toBe('6082');
  });

  it("reads a Windows server's NegTokenInit2, skipping negHints at [3]", () => {
    const init = parseNegTokenInit(capture.WINDOWS_SMB_NEG_TOKEN_INIT2);
    expect(init.mechTypes).toEqual([OID.negoex, OID.msKerberos, OID.kerberos, '1.2.840.113554.1.2.2.3', OID.ntlm]);
    expect(init.mechListMIC).toBeUndefined();
  });

  it('reads every field of a composed token, and a bare unframed one', () => {
    const fields = { mechTypes: [OIDS.msKerberos, OIDS.kerberos, OIDS.negoex, OIDS.ntlm], reqFlags: Buffer.from([0x60]), mechToken: NTLM_NEGOTIATE, mechListMIC: Buffer.alloc(16, 7) };
    for (const token of [negTokenInit(fields), negTokenInit(fields, { framed: false })]) {
      const init = parseNegTokenInit(token);
      expect(init.mechTypes).toEqual(fields.mechTypes);
      expect(init.mechTypesDer.equals(der(mechTypeList(fields.mechTypes)))).toBe(true);
      expect(init.reqFlags?.equals(fields.reqFlags)).toBe(true);
      expect(init.mechToken?.equals(NTLM_NEGOTIATE)).toBe(true);
      expect(init.mechListMIC?.equals(fields.mechListMIC)).toBe(true);
    }
  });

  it('keeps the mechTypes bytes as sent, even in non-minimal BER', () => {
    // 30 81 0c: a long-form length where DER would use 30 0c; the MIC covers what the client sent.
    const list = Buffer.from('30810c060a2b06010401823702020a', 'hex');
    const inner = Buffer.concat([Buffer.from([0xa0, list.length]), list]);
    const seq = Buffer.concat([Buffer.from([0x30, inner.length]), inner]);
    const token = Buffer.concat([Buffer.from([0xa0, seq.length]), seq]);
    expect(parseNegTokenInit(token).mechTypesDer.equals(list)).toBe(true);
  });
});

describe('parseNegTokenResp', () => {
  it('reads the recorded NegTokenResp tokens of both captures', () => {
    const first = parseNegTokenResp(capture.WINDOWS_SERVER_RESP_1);
    expect(first).toMatchObject({ negState: NegState.acceptIncomplete, supportedMech: OID.ntlm, mechListMIC: undefined });
    expect(first.responseToken?.equals(capture.WINDOWS_NTLM_CHALLENGE)).toBe(true);

    const auth = parseNegTokenResp(capture.WINDOWS_CLIENT_RESP_2);
    expect(auth.negState).toBe(NegState.acceptIncomplete);
    expect(auth.responseToken?.equals(capture.WINDOWS_NTLM_AUTHENTICATE)).toBe(true);
    expect(auth.mechListMIC?.toString('hex')).toBe('01000000a32d4dd6161b084f00000000');

    expect(parseNegTokenResp(capture.MIT_SERVER_RESP_1)).toEqual({ kind: 'resp', negState: NegState.requestMic, supportedMech: OID.ntlm, responseToken: undefined, mechListMIC: undefined });
    expect(parseNegTokenResp(capture.MIT_SERVER_RESP_FINAL).mechListMIC?.toString('hex')).toBe('01000000260ec7093b1cccb900000000');
  });

  it('reads an empty NegTokenResp (every field is optional)', () => {
    expect(parseNegTokenResp(negTokenResp({}))).toEqual({ kind: 'resp', negState: undefined, supportedMech: undefined, responseToken: undefined, mechListMIC: undefined });
  });
});

describe('buildNegTokenResp', () => {
  it.each([
    ['Windows accept-incomplete + supportedMech + CHALLENGE', capture.WINDOWS_SERVER_RESP_1, { negState: NegState.acceptIncomplete, supportedMech: OID.ntlm, responseToken: capture.WINDOWS_NTLM_CHALLENGE }],
    ['Windows accept-completed + mechListMIC', capture.WINDOWS_SERVER_RESP_FINAL, { negState: NegState.acceptCompleted, mechListMIC: Buffer.from('01000000791f335a883b1df000000000', 'hex') }],
    ['MIT request-mic + supportedMech', capture.MIT_SERVER_RESP_1, { negState: NegState.requestMic, supportedMech: OID.ntlm }],
    ['MIT accept-incomplete + CHALLENGE', capture.MIT_SERVER_RESP_2, { negState: NegState.acceptIncomplete, responseToken: capture.MIT_NTLM_CHALLENGE }],
    ['a client leg with a 494-byte token and a MIC', capture.WINDOWS_CLIENT_RESP_2, { negState: NegState.acceptIncomplete, responseToken: capture.WINDOWS_NTLM_AUTHENTICATE, mechListMIC: Buffer.from('01000000a32d4dd6161b084f00000000', 'hex') }],
  ])('reproduces %s byte for byte', (_label, recorded, fields) => {
    expect(buildNegTokenResp(fields).toString('hex')).toBe(recorded.toString('hex'));
  });

  it('omits undefined fields', () => {
    expect(buildNegTokenResp({ negState: undefined, responseToken: undefined }).toString('hex')).toBe('a1023000');
  });
});

describe('parseNegotiationToken', () => {
  it('dispatches on the outer tag', () => {
    expect(parseNegotiationToken(capture.WINDOWS_NEG_TOKEN_INIT).kind).toBe('init');
    expect(parseNegotiationToken(capture.WINDOWS_SERVER_RESP_1).kind).toBe('resp');
  });

  it.each([
    ['empty input', Buffer.alloc(0)],
    ['raw NTLMSSP', NTLM_NEGOTIATE],
    ['a truncated token', capture.WINDOWS_NEG_TOKEN_INIT.subarray(0, 40)],
    ['trailing bytes', Buffer.concat([capture.WINDOWS_SERVER_RESP_FINAL, Buffer.from([0])])],
    ['a GSS token for Kerberos, not SPNEGO', negTokenInit({ mechTypes: [OIDS.ntlm] }, { thisMech: OIDS.kerberos })],
    ['a NegTokenInit without mechTypes', der(ctx(0, new asn1js.Sequence()))],
    ['mechTypes holding a non-OID', der(ctx(0, new asn1js.Sequence({ value: [ctx(0, new asn1js.Sequence({ value: [new asn1js.Null()] }))] })))],
    ['mechTypes that is not a SEQUENCE', der(ctx(0, new asn1js.Sequence({ value: [ctx(0, new asn1js.ObjectIdentifier({ value: OIDS.ntlm }))] })))],
    ['an unknown negState', rawResp([[0, new asn1js.Enumerated({ value: 7 })]])],
    ['a negState of the wrong type', rawResp([[0, new asn1js.Integer({ value: 1 })]])],
    ['a repeated field', rawResp([[2, new asn1js.OctetString({ valueHex: Buffer.from('a') })], [2, new asn1js.OctetString({ valueHex: Buffer.from('b') })]])],
    ['a responseToken of the wrong type', rawResp([[2, new asn1js.Utf8String({ value: 'x' })]])],
    ['a supportedMech of the wrong type', rawResp([[1, new asn1js.OctetString({ valueHex: Buffer.from('x') })]])],
    ['an untagged field', Buffer.from(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.Sequence({ value: [new asn1js.Null()] })] }).toBER())],
    ['a bare SEQUENCE', der(new asn1js.Sequence())],
  ])('refuses %s with SpnegoTokenError', (_label, token) => {
    expect(() => parseNegotiationToken(token)).toThrow(SpnegoTokenError);
  });

  it('random bytes and mutated captures raise nothing but SpnegoTokenError', () => {
    const random = prng(7);
    const seeds = [capture.WINDOWS_NEG_TOKEN_INIT, capture.WINDOWS_CLIENT_RESP_2, capture.MIT_NEG_TOKEN_INIT, capture.WINDOWS_SMB_NEG_TOKEN_INIT2];
    const attempt = (token: Buffer): void => {
      try {
        parseNegotiationToken(token);
      } catch (error) {
        expect(error).toBeInstanceOf(SpnegoTokenError);
      }
    };
    for (let i = 0; i < 2000; i++) {
      attempt(random.bytes(random.int(200)));
      attempt(Buffer.concat([Buffer.from([0x60 + random.int(2) * 0x41]), random.bytes(random.int(100))]));
      const seed = seeds[i % seeds.length] ?? Buffer.alloc(0);
      const mutated = Buffer.from(seed);
      for (let f = 0; f < 1 + random.int(3); f++) mutated[random.int(mutated.length)] = random.int(256);
      attempt(mutated);
      attempt(mutated.subarray(0, random.int(mutated.length)));
    }
  });
});

describe('looksLikeSpnego and mechanismForOid', () => {
  it('recognises SPNEGO framing and nothing else', () => {
    expect(looksLikeSpnego(capture.WINDOWS_NEG_TOKEN_INIT)).toBe(true);
    expect(looksLikeSpnego(capture.MIT_NEG_TOKEN_INIT)).toBe(true);
    expect(looksLikeSpnego(capture.WINDOWS_SERVER_RESP_FINAL)).toBe(true);
    expect(looksLikeSpnego(NTLM_NEGOTIATE)).toBe(false);
    expect(looksLikeSpnego(capture.MIT_NEG_TOKEN_INIT.subarray(capture.MIT_NEG_TOKEN_INIT.indexOf(Buffer.from('6082055e', 'hex'))))).toBe(false);
    expect(looksLikeSpnego(Buffer.alloc(0))).toBe(false);
  });

  it('maps mechanism OIDs', () => {
    expect(mechanismForOid(OID.ntlm)).toBe('NTLM');
    expect(mechanismForOid(OID.kerberos)).toBe('Kerberos');
    expect(mechanismForOid(OID.msKerberos)).toBe('Kerberos');
    expect(mechanismForOid(OID.negoex)).toBeUndefined();
  });
});
