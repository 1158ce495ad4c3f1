import { OID } from '../spnego/oids.js';
import { KerberosMessageError } from './errors.js';

/** TOK_ID of the context establishment tokens [RFC 4121 §4.1]. */
export const TokId = { apReq: 0x0100, apRep: 0x0200, krbError: 0x0300 } as const;

/** The two OIDs a krb5 GSS token may carry; clients get their own back (MIT `ctx->mech_used`). */
export type Krb5MechOid = typeof OID.kerberos | typeof OID.msKerberos;

/** DER contents of the OBJECT IDENTIFIERs (without tag and length). */
const MECH_OID_BYTES: ReadonlyMap<Krb5MechOid, Buffer> = new Map([
  [OID.kerberos, Buffer.from('2a864886f712010202', 'hex')],
  // 1.2.840.48018.1.2.2: the truncated OID Windows 2000 used by mistake, still accepted everywhere [MS-KILE 3.1.5.1].
  [OID.msKerberos, Buffer.from('2a864882f712010202', 'hex')],
]);

/** A krb5 context token: `60 len 06 09 <oid> TOK_ID innerToken` [RFC 2743 §3.1, RFC 4121 §4.1]. */
export interface GssKrb5Token {
  readonly mech: Krb5MechOid;
  readonly tokId: number;
  /** The DER Kerberos message (AP-REQ, AP-REP or KRB-ERROR). */
  readonly message: Buffer;
}

const APPLICATION_0 = 0x60;
const OBJECT_IDENTIFIER = 0x06;

/** Parses the framing. Throws KerberosMessageError only. */
export function parseGssKrb5Token(token: Buffer): GssKrb5Token {
  if (token[0] !== APPLICATION_0) throw new KerberosMessageError('GSS token: expected [APPLICATION 0]');
  const { length, next } = readDerLength(token, 1);
  if (next + length !== token.length) throw new KerberosMessageError('GSS token: length does not match the token');
  if (token[next] !== OBJECT_IDENTIFIER) throw new KerberosMessageError('GSS token: thisMech is not an OBJECT IDENTIFIER');
  const oidLength = token[next + 1];
  if (oidLength === undefined || oidLength >= 0x80) throw new KerberosMessageError('GSS token: bad thisMech length');
  const oidStart = next + 2;
  const oid = token.subarray(oidStart, oidStart + oidLength);
  const mech = mechForOid(oid);
  if (mech === undefined) throw new KerberosMessageError('GSS token: thisMech is not Kerberos V5');
  const tokIdAt = oidStart + oidLength;
  if (token.length < tokIdAt + 2) throw new KerberosMessageError('GSS token: no TOK_ID');
  return { mech, tokId: token.readUInt16BE(tokIdAt), message: token.subarray(tokIdAt + 2) };
}

/** Frames a Kerberos message as a krb5 context token. */
export function buildGssKrb5Token(mech: Krb5MechOid, tokId: number, message: Buffer): Buffer {
  const oid = MECH_OID_BYTES.get(mech) ?? Buffer.alloc(0);
  const tokIdBytes = Buffer.alloc(2);
  tokIdBytes.writeUInt16BE(tokId, 0);
  const inner = Buffer.concat([Buffer.from([OBJECT_IDENTIFIER, oid.length]), oid, tokIdBytes, message]);
  return Buffer.concat([Buffer.from([APPLICATION_0]), derLength(inner.length), inner]);
}

/** True for a token that is a GSS krb5 token or a bare AP-REQ (`6E ..`), for dispatch as in notes §1.6. */
export function looksLikeKerberos(token: Buffer): boolean {
  if (token[0] === 0x6e) return true;
  try {
    parseGssKrb5Token(token);
    return true;
  } catch {
    return false;
  }
}

function mechForOid(oid: Buffer): Krb5MechOid | undefined {
  for (const [mech, bytes] of MECH_OID_BYTES) if (bytes.equals(oid)) return mech;
  return undefined;
}

/** A DER definite length [X.690 §8.1.3]: short form, or long form with up to 4 length bytes. */
function readDerLength(bytes: Buffer, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new KerberosMessageError('GSS token: truncated length');
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 4 || offset + 1 + count > bytes.length) throw new KerberosMessageError('GSS token: bad length');
  return { length: bytes.readUIntBE(offset + 1, count), next: offset + 1 + count };
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const count = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const out = Buffer.alloc(1 + count);
  out[0] = 0x80 | count;
  out.writeUIntBE(length, 1, count);
  return out;
}
