/**
 * Test-only KDC and initiator: issues tickets in a service key the test chooses and builds the
 * client's AP-REQ, written from RFC 4120 §5.3/§5.5.1 and RFC 4121 §4.1 directly with the crypto
 * module's encrypt, so that the acceptor is checked against an independent construction.
 */
import { randomBytes } from 'node:crypto';
import {
  type Checksum,
  type EncryptionKey,
  NameType,
  type PrincipalName,
  type Ticket,
  encodeApReq,
  encodeAuthenticator,
  encodeEncTicketPart,
} from '../../../../auth/kerberos/asn1/index.js';
import { GSS_CHECKSUM_TYPE, GssFlags, buildGssChecksum } from '../../../../auth/kerberos/authenticator-checksum.js';
import { type EncryptionType, enctypeById } from '../../../../auth/kerberos/crypto/index.js';
import { TokId, buildGssKrb5Token, type Krb5MechOid } from '../../../../auth/kerberos/gss-token.js';

export const REALM = 'EXAMPLE.COM';
export const SERVICE: PrincipalName = { nameType: NameType.srvHst, nameString: ['HTTP', 'srv01.example.com'] };
export const CLIENT: PrincipalName = { nameType: NameType.principal, nameString: ['alice'] };
/** 2024-05-01T12:00:00Z: the tests' "now". */
export const NOW = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));
export const HOUR = 3_600_000;

export interface TestKey {
  readonly etype: number;
  readonly key: Buffer;
}

export function enctype(etype: number): EncryptionType {
  const found = enctypeById(etype);
  if (found === undefined) throw new Error(`test needs etype ${etype}`);
  return found;
}

export function randomKey(etype: number): TestKey {
  return { etype, key: randomBytes(enctype(etype).keyLength) };
}

export interface TicketOptions {
  readonly serviceKey: TestKey;
  readonly kvno?: number | undefined;
  readonly sessionKey?: TestKey | undefined;
  readonly sname?: PrincipalName | undefined;
  readonly realm?: string | undefined;
  readonly cname?: PrincipalName | undefined;
  readonly crealm?: string | undefined;
  readonly flags?: number | undefined;
  readonly authtime?: Date | undefined;
  readonly starttime?: Date | undefined;
  readonly endtime?: Date | undefined;
}

export interface IssuedTicket {
  readonly ticket: Ticket;
  readonly sessionKey: TestKey;
  readonly cname: PrincipalName;
  readonly crealm: string;
}

/** A service ticket as a KDC makes it: EncTicketPart encrypted in the service key with usage 2. */
export function issueTicket(options: TicketOptions): IssuedTicket {
  const sessionKey = options.sessionKey ?? randomKey(options.serviceKey.etype);
  const cname = options.cname ?? CLIENT;
  const crealm = options.crealm ?? REALM;
  const encTicketPart = encodeEncTicketPart({
    flags: options.flags ?? 0x40a1_0000,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.key },
    crealm,
    cname,
    transited: { trType: 1, contents: Buffer.alloc(0) },
    authtime: options.authtime ?? new Date(NOW.getTime() - HOUR),
    starttime: options.starttime,
    endtime: options.endtime ?? new Date(NOW.getTime() + 9 * HOUR),
  });
  const cipher = enctype(options.serviceKey.etype).encrypt(options.serviceKey.key, 2, encTicketPart);
  const ticket: Ticket = {
    realm: options.realm ?? REALM,
    sname: options.sname ?? SERVICE,
    encPart: { etype: options.serviceKey.etype, kvno: options.kvno ?? 3, cipher },
  };
  return { ticket, sessionKey, cname, crealm };
}

export interface ApReqOptions {
  readonly issued: IssuedTicket;
  readonly ctime?: Date | undefined;
  readonly cusec?: number | undefined;
  /** Initiator subkey; `null` for none. Default: a fresh key of the session key's etype. */
  readonly subkey?: TestKey | null | undefined;
  readonly seqNumber?: number | undefined;
  readonly gssFlags?: number | undefined;
  /** Bnd: MD5 of the channel bindings; default all zero. */
  readonly bindings?: Buffer | undefined;
  /** Replace the 0x8003 checksum; `null` omits it. */
  readonly cksum?: Checksum | null | undefined;
  readonly apOptions?: number | undefined;
  readonly cname?: PrincipalName | undefined;
  readonly crealm?: string | undefined;
  /** GSS framing OID, or 'bare' for a naked AP-REQ. */
  readonly framing?: Krb5MechOid | 'bare' | undefined;
  /** Encrypt the authenticator with this key instead of the session key. */
  readonly authenticatorKey?: TestKey | undefined;
}

export interface BuiltApReq {
  readonly token: Buffer;
  readonly subkey: TestKey | undefined;
  readonly seqNumber: number;
  readonly ctime: Date;
  readonly cusec: number;
}

/** GSS_Init_sec_context's first token: AP-REQ with a 0x8003 checksum, GSS-framed [RFC 4121 §4.1]. */
export function buildApReq(options: ApReqOptions): BuiltApReq {
  const { issued } = options;
  const subkey = options.subkey === null ? undefined : (options.subkey ?? randomKey(issued.sessionKey.etype));
  const seqNumber = options.seqNumber ?? 0x1234_5678;
  const ctime = options.ctime ?? NOW;
  const cusec = options.cusec ?? 123_456;
  const flags = options.gssFlags ?? GssFlags.mutual | GssFlags.sequence | GssFlags.conf | GssFlags.integ;
  const cksum =
    options.cksum === null
      ? undefined
      : (options.cksum ?? { cksumtype: GSS_CHECKSUM_TYPE, checksum: buildGssChecksum({ bindings: options.bindings ?? Buffer.alloc(16), flags }) });
  const subkeyField: EncryptionKey | undefined = subkey === undefined ? undefined : { keytype: subkey.etype, keyvalue: subkey.key };
  const authenticator = encodeAuthenticator({
    crealm: options.crealm ?? issued.crealm,
    cname: options.cname ?? issued.cname,
    cksum,
    cusec,
    ctime,
    subkey: subkeyField,
    seqNumber,
  });
  const authKey = options.authenticatorKey ?? issued.sessionKey;
  const apReq = encodeApReq({
    apOptions: options.apOptions ?? 0x2000_0000,
    ticket: issued.ticket,
    authenticator: { etype: authKey.etype, cipher: enctype(authKey.etype).encrypt(authKey.key, 11, authenticator) },
  });
  const framing = options.framing ?? '1.2.840.113554.1.2.2';
  const token = framing === 'bare' ? apReq : buildGssKrb5Token(framing, TokId.apReq, apReq);
  return { token, subkey, seqNumber, ctime, cusec };
}
