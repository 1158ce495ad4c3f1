import { createHash } from 'node:crypto';
import { type ChannelBindingPolicy, checkChannelBindings } from '../ntlm/channel-bindings.js';
import { ApOptions, type ApReq, type Authenticator, type EncTicketPart, TicketFlags, parseAuthenticator, parseEncTicketPart, samePrincipal } from './asn1/index.js';
import { GSS_CHECKSUM_TYPE, GssFlags, parseGssChecksum } from './authenticator-checksum.js';
import { type EncryptionType, enctypeById } from './crypto/index.js';
import { KerberosMessageError } from './errors.js';
import type { ReplayCache } from './replay-cache.js';

/** What the acceptor asks the server's keytab for: the ticket's sname, realm, kvno and etype. */
export interface ServiceKeyRequest {
  readonly serviceComponents: readonly string[];
  readonly realm: string;
  readonly kvno: number | undefined;
  readonly enctype: number;
}

export type ServiceKeyLookup = (request: ServiceKeyRequest) => Buffer | undefined;

export interface ApReqPolicy {
  readonly keys: ServiceKeyLookup;
  readonly acceptedServices: readonly string[];
  /** Client realms allowed to log on, compared exactly (realms are case-sensitive, RFC 4120 §6.1). */
  readonly acceptedRealms: readonly string[];
  readonly nowMs: number;
  readonly maxClockSkewMs: number;
  readonly replayCache: ReplayCache;
  readonly channelBindingHash: Buffer | undefined;
  readonly channelBindingPolicy: ChannelBindingPolicy;
}

export interface ContextKey {
  readonly enctype: EncryptionType;
  readonly key: Buffer;
}

/** An AP-REQ that passed every check of RFC 4120 §3.2.3 and RFC 4121 §4.1.1. */
export interface VerifiedApReq {
  readonly ticket: EncTicketPart;
  readonly sessionKey: ContextKey;
  readonly authenticator: Authenticator;
  readonly initiatorSubkey: ContextKey | undefined;
  /** GSS flags from the 0x8003 checksum (0 when the client sent none). */
  readonly gssFlags: number;
  /** The client wants an AP-REP: ap-options mutual-required or the GSS MUTUAL flag. */
  readonly mutual: boolean;
}

export type ApReqOutcome = { readonly ok: true; readonly verified: VerifiedApReq } | { readonly ok: false; readonly reason: string };

/** KRB_AP_ERR_*-style refusal inside the checks; never escapes verifyApReq. */
class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** Key usages of the AP exchange [RFC 4120 §7.5.1]. */
const USAGE_TICKET = 2;
const USAGE_AUTHENTICATOR = 11;

/**
 * Checks an AP-REQ as an application server must [RFC 4120 §3.2.3]: ticket decrypts with our key,
 * is valid now, the authenticator decrypts with its session key, names the ticket's client, is
 * fresh and new; then the GSS checksum and channel bindings [RFC 4121 §4.1.1]. Failures are
 * returned as reasons, for the log only.
 */
export function verifyApReq(apReq: ApReq, policy: ApReqPolicy): ApReqOutcome {
  try {
    return { ok: true, verified: verify(apReq, policy) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    if (error instanceof KerberosMessageError) return { ok: false, reason: error.message };
    throw error;
  }
}

function verify(apReq: ApReq, policy: ApReqPolicy): VerifiedApReq {
  // User-to-user tickets are encrypted in a TGT session key, which a keytab acceptor does not have.
  if (apReq.apOptions & ApOptions.useSessionKey) refuse('user-to-user (use-session-key) is not supported');
  const ticket = decryptTicket(apReq, policy);
  checkTicketTimes(ticket, policy);
  const sessionKey = contextKey(ticket.key.keytype, ticket.key.keyvalue, 'ticket session key');
  if (apReq.authenticator.etype !== sessionKey.enctype.etype) refuse('authenticator etype differs from the session key');
  const authenticator = parseAuthenticator(decrypt(sessionKey, USAGE_AUTHENTICATOR, apReq.authenticator.cipher, 'authenticator'));

  // "the client's name and realm from the ticket [are compared] against the same fields in the authenticator" [RFC 4120 §3.2.3].
  if (authenticator.crealm !== ticket.crealm || !samePrincipal(authenticator.cname, ticket.cname)) {
    refuse('authenticator client does not match the ticket');
  }
  const ctimeMs = authenticator.ctime.getTime() + Math.floor(authenticator.cusec / 1000);
  if (Math.abs(policy.nowMs - ctimeMs) > policy.maxClockSkewMs) refuse('authenticator time is outside the clock skew');
  // A realm we do not trust fails like a wrong password: the client learns nothing about our trusts.
  if (!policy.acceptedRealms.includes(ticket.crealm)) refuse(`client realm ${ticket.crealm} is not accepted`);
  const replayKey = replayKeyOf(authenticator, apReq.authenticator.cipher);
  if (policy.replayCache.has(replayKey)) refuse('authenticator replayed');

  const gssFlags = checkGssChecksum(authenticator, policy);
  const initiatorSubkey =
    authenticator.subkey === undefined ? undefined : contextKey(authenticator.subkey.keytype, authenticator.subkey.keyvalue, 'authenticator subkey');

  // Remember it only once everything passed, for as long as the skew would still admit it.
  policy.replayCache.add(replayKey, Math.max(ctimeMs, policy.nowMs) + policy.maxClockSkewMs);
  const mutual = Boolean(apReq.apOptions & ApOptions.mutualRequired) || Boolean(gssFlags & GssFlags.mutual);
  return { ticket, sessionKey, authenticator, initiatorSubkey, gssFlags, mutual };
}

function decryptTicket(apReq: ApReq, policy: ApReqPolicy): EncTicketPart {
  const { sname, realm, encPart } = apReq.ticket;
  const service = sname.nameString[0] ?? '';
  if (!policy.acceptedServices.some((accepted) => accepted.toLowerCase() === service.toLowerCase())) {
    refuse(`ticket is for service ${service}, not one of ${policy.acceptedServices.join(', ')}`);
  }
  const enctype = enctypeById(encPart.etype) ?? refuse(`ticket etype ${encPart.etype} is not supported`);
  const key = policy.keys({ serviceComponents: sname.nameString, realm, kvno: encPart.kvno, enctype: encPart.etype });
  if (key === undefined) refuse(`no key for ${sname.nameString.join('/')}@${realm} kvno ${encPart.kvno ?? '-'} etype ${encPart.etype}`);
  return parseEncTicketPart(decrypt({ enctype, key }, USAGE_TICKET, encPart.cipher, 'ticket (wrong service key?)'));
}

/** "the server MUST reject" INVALID tickets; starttime (or authtime) and endtime bound its use, with skew [RFC 4120 §3.2.3]. */
function checkTicketTimes(ticket: EncTicketPart, policy: ApReqPolicy): void {
  if (ticket.flags & TicketFlags.invalid) refuse('ticket is marked INVALID');
  const start = (ticket.starttime ?? ticket.authtime).getTime();
  if (start > policy.nowMs + policy.maxClockSkewMs) refuse('ticket is not yet valid');
  if (ticket.endtime.getTime() <= policy.nowMs - policy.maxClockSkewMs) refuse('ticket has expired');
}

function contextKey(keytype: number, key: Buffer, what: string): ContextKey {
  const enctype = enctypeById(keytype) ?? refuse(`${what} etype ${keytype} is not supported`);
  if (key.length !== enctype.keyLength) refuse(`${what} has ${key.length} bytes, ${enctype.name} needs ${enctype.keyLength}`);
  return { enctype, key };
}

function decrypt(key: ContextKey, usage: number, cipher: Buffer, what: string): Buffer {
  try {
    return key.enctype.decrypt(key.key, usage, cipher);
  } catch {
    return refuse(`${what} does not decrypt`);
  }
}

/**
 * The 0x8003 checksum [RFC 4121 §4.1.1] and channel bindings per policy (notes §1.8). Without a
 * checksum (hand-made tokens; MIT tolerates them) there are no flags and no bindings.
 */
function checkGssChecksum(authenticator: Authenticator, policy: ApReqPolicy): number {
  const cksum = authenticator.cksum;
  if (cksum !== undefined && cksum.cksumtype !== GSS_CHECKSUM_TYPE) refuse(`authenticator checksum type ${cksum.cksumtype} is not 0x8003`);
  const gss = cksum === undefined ? undefined : parseGssChecksum(cksum.checksum);
  const problem = checkChannelBindings(policy.channelBindingPolicy, policy.channelBindingHash, gss?.bindings);
  if (problem !== undefined) refuse(problem);
  const flags = gss?.flags ?? 0;
  // DCE style needs a third leg (the client's AP-REP) that WinRM never sends.
  if (flags & GssFlags.dceStyle) refuse('DCE-style context requested');
  return flags;
}

/** Client, ctime, cusec and a hash of the ciphertext, so distinct authenticators never collide (MIT does the same). */
function replayKeyOf(authenticator: Authenticator, cipher: Buffer): string {
  const client = `${authenticator.cname.nameString.join('/')}@${authenticator.crealm}`;
  const digest = createHash('sha256').update(cipher).digest('hex');
  return `${client}|${authenticator.ctime.toISOString()}|${authenticator.cusec}|${digest}`;
}
