import { encodeApRep, encodeEncApRepPart } from './asn1/index.js';
import { type Krb5MechOid, TokId, buildGssKrb5Token } from './gss-token.js';
import type { ContextKey, VerifiedApReq } from './verify-ap-req.js';

/** Key usage of EncAPRepPart [RFC 4120 §7.5.1]. */
const USAGE_AP_REP = 12;

/** Sequence numbers stay below 2^31 so that signed-integer decoders read them right (notes §5.5). */
const SEQ_MASK = 0x7fff_ffff;

export interface MutualAuthentication {
  /** The AP-REP, GSS-framed with the client's OID, or bare when the AP-REQ came bare (as MIT does). */
  readonly token: Buffer;
  readonly acceptorSubkey: ContextKey;
  readonly sequenceNumber: number;
}

/**
 * Builds the AP-REP [RFC 4120 §3.2.4, RFC 4121 §4.1]: EncAPRepPart { ctime, cusec from the
 * authenticator, a fresh acceptor subkey, our initial sequence number } encrypted in the ticket
 * session key (usage 12). The subkey has the etype of the initiator's subkey, else of the session
 * key (MIT does the same), so the client can use it for the per-message tokens it already expects.
 */
export function buildMutualAuthentication(
  verified: VerifiedApReq,
  framing: Krb5MechOid | undefined,
  randomBytes: (n: number) => Buffer,
): MutualAuthentication {
  const { enctype } = verified.initiatorSubkey ?? verified.sessionKey;
  const acceptorSubkey: ContextKey = { enctype, key: randomBytes(enctype.keyLength) };
  const sequenceNumber = randomBytes(4).readUInt32BE(0) & SEQ_MASK;
  const encPart = encodeEncApRepPart({
    ctime: verified.authenticator.ctime,
    cusec: verified.authenticator.cusec,
    subkey: { keytype: enctype.etype, keyvalue: acceptorSubkey.key },
    seqNumber: sequenceNumber,
  });
  const { sessionKey } = verified;
  const apRep = encodeApRep({
    encPart: { etype: sessionKey.enctype.etype, cipher: sessionKey.enctype.encrypt(sessionKey.key, USAGE_AP_REP, encPart) },
  });
  const token = framing === undefined ? apRep : buildGssKrb5Token(framing, TokId.apRep, apRep);
  return { token, acceptorSubkey, sequenceNumber };
}
