import { describe, expect, it } from 'vitest';
import {
  encodeApRep,
  encodeApReq,
  encodeAuthenticator,
  encodeEncApRepPart,
  encodeEncTicketPart,
  encodeTicket,
  parseApRep,
  parseApReq,
  parseAuthenticator,
  parseEncApRepPart,
  parseEncTicketPart,
  parseTicket,
} from '../../../../auth/kerberos/asn1/index.js';
import { KerberosMessageError } from '../../../../auth/kerberos/errors.js';
import {
  MIT_AP_REP,
  MIT_AP_REP_ENC_PART,
  MIT_AP_REP_ENC_PART_MINIMAL,
  MIT_AP_REQ,
  MIT_AUTHENTICATOR,
  MIT_AUTHENTICATOR_MINIMAL,
  MIT_ENC_TKT_PART,
  MIT_ENC_TKT_PART_MINIMAL,
  MIT_TICKET,
  SAMPLE_AUTHZ,
  SAMPLE_ENC_DATA,
  SAMPLE_KEY,
  SAMPLE_PRINCIPAL,
  SAMPLE_REALM,
  SAMPLE_TIME,
} from './mit-vectors.js';

const TICKET = { realm: SAMPLE_REALM, sname: SAMPLE_PRINCIPAL, encPart: SAMPLE_ENC_DATA };

describe('Kerberos ASN.1 against MIT krb5 reference encodings (reference_encode.out)', () => {
  it('Authenticator: decodes every field and re-encodes byte for byte', () => {
    const authenticator = parseAuthenticator(MIT_AUTHENTICATOR);
    expect(authenticator).toEqual({
      crealm: SAMPLE_REALM,
      cname: SAMPLE_PRINCIPAL,
      cksum: { cksumtype: 1, checksum: Buffer.from('1234') },
      cusec: 123456,
      ctime: SAMPLE_TIME,
      subkey: SAMPLE_KEY,
      seqNumber: 17,
      authorizationData: SAMPLE_AUTHZ,
    });
    expect(encodeAuthenticator(authenticator)).toEqual(MIT_AUTHENTICATOR);
  });

  it('Authenticator without optional fields', () => {
    const authenticator = parseAuthenticator(MIT_AUTHENTICATOR_MINIMAL);
    expect(authenticator.cksum).toBeUndefined();
    expect(authenticator.subkey).toBeUndefined();
    expect(authenticator.seqNumber).toBeUndefined();
    expect(encodeAuthenticator(authenticator)).toEqual(MIT_AUTHENTICATOR_MINIMAL);
  });

  it('Ticket', () => {
    expect(parseTicket(MIT_TICKET)).toEqual(TICKET);
    expect(encodeTicket(TICKET)).toEqual(MIT_TICKET);
  });

  it('EncTicketPart with every optional field', () => {
    const part = parseEncTicketPart(MIT_ENC_TKT_PART);
    expect(part).toEqual({
      flags: 0xfedcba98,
      key: SAMPLE_KEY,
      crealm: SAMPLE_REALM,
      cname: SAMPLE_PRINCIPAL,
      transited: { trType: 1, contents: Buffer.from('EDU,MIT.,ATHENA.,WASHINGTON.EDU,CS.') },
      authtime: SAMPLE_TIME,
      starttime: SAMPLE_TIME,
      endtime: SAMPLE_TIME,
      renewTill: SAMPLE_TIME,
      caddr: [
        { addrType: 2, address: Buffer.from('12d00023', 'hex') },
        { addrType: 2, address: Buffer.from('12d00023', 'hex') },
      ],
      authorizationData: SAMPLE_AUTHZ,
    });
    expect(encodeEncTicketPart(part)).toEqual(MIT_ENC_TKT_PART);
  });

  it('EncTicketPart without optional fields', () => {
    const part = parseEncTicketPart(MIT_ENC_TKT_PART_MINIMAL);
    expect(part.starttime).toBeUndefined();
    expect(part.renewTill).toBeUndefined();
    expect(part.caddr).toBeUndefined();
    expect(encodeEncTicketPart(part)).toEqual(MIT_ENC_TKT_PART_MINIMAL);
  });

  it('AP-REQ', () => {
    const apReq = parseApReq(MIT_AP_REQ);
    expect(apReq).toEqual({ apOptions: 0xfedcba98, ticket: TICKET, authenticator: SAMPLE_ENC_DATA });
    expect(encodeApReq(apReq)).toEqual(MIT_AP_REQ);
  });

  it('AP-REP and EncAPRepPart', () => {
    expect(parseApRep(MIT_AP_REP)).toEqual({ encPart: SAMPLE_ENC_DATA });
    expect(encodeApRep({ encPart: SAMPLE_ENC_DATA })).toEqual(MIT_AP_REP);
    const part = { ctime: SAMPLE_TIME, cusec: 123456, subkey: SAMPLE_KEY, seqNumber: 17 };
    expect(parseEncApRepPart(MIT_AP_REP_ENC_PART)).toEqual(part);
    expect(encodeEncApRepPart(part)).toEqual(MIT_AP_REP_ENC_PART);
    expect(encodeEncApRepPart({ ctime: SAMPLE_TIME, cusec: 123456 })).toEqual(MIT_AP_REP_ENC_PART_MINIMAL);
  });
});

describe('Kerberos ASN.1 value rules', () => {
  it('writes KerberosTime without fractional seconds', () => {
    const withMillis = new Date(SAMPLE_TIME.getTime() + 999);
    expect(encodeEncApRepPart({ ctime: withMillis, cusec: 123456 })).toEqual(MIT_AP_REP_ENC_PART_MINIMAL);
  });

  it('reads negative seq-numbers modulo 2^32 (old signed encoders) and writes large ones unsigned', () => {
    const negative = Buffer.from(MIT_AP_REP_ENC_PART);
    negative[negative.length - 1] = 0xff; // seq-number INTEGER -1
    expect(parseEncApRepPart(negative).seqNumber).toBe(0xffffffff);
    const big = encodeEncApRepPart({ ctime: SAMPLE_TIME, cusec: 1, seqNumber: 0xfffffffe });
    expect(parseEncApRepPart(big).seqNumber).toBe(0xfffffffe);
  });

  const rejects: readonly (readonly [string, Buffer, (bytes: Buffer) => unknown])[] = [
    ['wrong APPLICATION tag', Buffer.concat([Buffer.from([0x6f]), MIT_AP_REQ.subarray(1)]), parseApReq],
    ['trailing bytes', Buffer.concat([MIT_TICKET, Buffer.from([0])]), parseTicket],
    ['truncated', MIT_ENC_TKT_PART.subarray(0, 100), parseEncTicketPart],
    ['impossible date', Buffer.from(MIT_AP_REP_ENC_PART_MINIMAL.toString('latin1').replace('19940610', '19940231'), 'latin1'), parseEncApRepPart],
    ['fractional KerberosTime', Buffer.concat([Buffer.from('7b1e301ca0131811', 'hex'), Buffer.from('19940610060317.5Z'), Buffer.from('a105020301e240', 'hex')]), parseEncApRepPart],
    ['cusec out of range', Buffer.from(MIT_AP_REP_ENC_PART_MINIMAL.toString('hex').replace('a105020301e240', 'a10502030f4240'), 'hex'), parseEncApRepPart],
    ['pvno 4', Buffer.from(MIT_AP_REP.toString('hex').replace('a003020105', 'a003020104'), 'hex'), parseApRep],
    ['msg-type 14 in an AP-REP', Buffer.from(MIT_AP_REP.toString('hex').replace('a10302010f', 'a10302010e'), 'hex'), parseApRep],
    ['empty input', Buffer.alloc(0), parseAuthenticator],
  ];

  it.each(rejects)('rejects %s with KerberosMessageError', (_name, bytes, parse) => {
    expect(() => parse(bytes)).toThrow(KerberosMessageError);
  });
});
