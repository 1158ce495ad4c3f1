import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { ChannelBindingPolicy } from '../ntlm/channel-bindings.js';
import type { MicCapable } from '../spnego/mic-capable.js';
import {
  type AuthenticatedIdentity,
  MessageSecurityError,
  type SecurityContext,
  type StepResult,
  type WrappedMessage,
} from '../security-context.js';
import { buildMutualAuthentication } from './ap-rep.js';
import { type ApReq, parseApReq } from './asn1/index.js';
import { KerberosMessageError } from './errors.js';
import { type Krb5MechOid, TokId, parseGssKrb5Token } from './gss-token.js';
import type { ReplayCache } from './replay-cache.js';
import { KerberosSessionSecurity } from './session-security.js';
import { type ServiceKeyLookup, type VerifiedApReq, verifyApReq } from './verify-ap-req.js';

export interface KerberosAcceptorOptions {
  /** The service key for the ticket's sname/realm/kvno/etype, from the server's keytab. */
  readonly keys: ServiceKeyLookup;
  /** Client realms whose principals may log on; others fail like a bad password. Compared exactly (RFC 4120 §6.1). */
  readonly acceptedRealms: readonly string[];
  readonly now?: (() => Date) | undefined;
  /** Default 5 minutes, the RFC 4120 §1.6 recommendation and the AD default. */
  readonly maxClockSkewMs?: number | undefined;
  readonly replayCache: ReplayCache;
  /** MD5 of the gss_channel_bindings_struct for this TLS connection (gssChannelBindingsHash); absent on HTTP. */
  readonly channelBindingHash?: Buffer | undefined;
  /** Default `Relaxed`, the Windows default. */
  readonly channelBindingPolicy?: ChannelBindingPolicy | undefined;
  readonly randomBytes?: ((n: number) => Buffer) | undefined;
  /** First sname components accepted, case-insensitively; default HTTP and WSMAN. */
  readonly acceptedServices?: readonly string[] | undefined;
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const DEFAULT_ACCEPTED_SERVICES: readonly string[] = ['HTTP', 'WSMAN'];

type AcceptorState =
  | { readonly kind: 'initial' }
  /** The AP-REQ is being checked; a context accepts exactly one. */
  | { readonly kind: 'verifying' }
  | { readonly kind: 'established'; readonly identity: AuthenticatedIdentity; readonly security: KerberosSessionSecurity }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * The Kerberos V5 GSS-API acceptor [RFC 4121] for one connection: one AP-REQ in, the AP-REP out
 * (when the client asks for mutual authentication, as WinRM clients do), then Wrap/MIC tokens.
 * Bad client input gives `failed`, never a throw.
 */
export class KerberosAcceptor implements SecurityContext, MicCapable {
  #state: AcceptorState = { kind: 'initial' };
  readonly #options: KerberosAcceptorOptions;

  constructor(options: KerberosAcceptorOptions) {
    this.#options = options;
  }

  /** The current state, for logs and tests. */
  get state(): AcceptorState['kind'] {
    return this.#state.kind;
  }

  step(token: Buffer): Promise<StepResult> {
    if (this.#state.kind !== 'initial') return Promise.resolve(this.#fail('Kerberos context already used'));
    this.#state = { kind: 'verifying' };
    try {
      return Promise.resolve(this.#accept(token));
    } catch (error) {
      // The key lookup is the server's code; contain anything it throws as a failed handshake.
      return Promise.resolve(this.#fail(`internal error: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  wrap(plaintext: Buffer): WrappedMessage {
    return this.#security().wrap(plaintext);
  }

  /** Kerberos's decryption makes its own memory (OpenSSL's output): no `allocate`. */
  unwrap(message: WrappedMessage): Buffer {
    return this.#security().unwrap(message);
  }

  /** The mechListMIC for SPNEGO: an RFC 4121 MIC token (usage 23) consuming one send sequence number. */
  signMic(data: Buffer): Buffer {
    return this.#security().signMic(data);
  }

  /** Checks the client's mechListMIC (usage 25); false on any mismatch, as MicCapable asks. */
  verifyMic(data: Buffer, mic: Buffer): boolean {
    try {
      this.#security().verifyMic(data, mic);
      return true;
    } catch (error) {
      if (error instanceof MessageSecurityError) return false;
      throw error;
    }
  }

  #accept(token: Buffer): StepResult {
    let framing: Krb5MechOid | undefined;
    let apReq: ApReq;
    try {
      const unframed = this.#unframe(token);
      framing = unframed.framing;
      apReq = parseApReq(unframed.message);
    } catch (error) {
      if (error instanceof KerberosMessageError) return this.#fail(`bad AP-REQ: ${error.message}`);
      throw error;
    }
    const options = this.#options;
    const outcome = verifyApReq(apReq, {
      keys: options.keys,
      acceptedServices: options.acceptedServices ?? DEFAULT_ACCEPTED_SERVICES,
      acceptedRealms: options.acceptedRealms,
      nowMs: (options.now?.() ?? new Date()).getTime(),
      maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
      replayCache: options.replayCache,
      channelBindingHash: options.channelBindingHash,
      channelBindingPolicy: options.channelBindingPolicy ?? 'Relaxed',
    });
    if (!outcome.ok) return this.#fail(outcome.reason);
    return this.#complete(outcome.verified, framing);
  }

  /** A GSS krb5 token must be an AP-REQ (TOK_ID 01 00); a bare `6E ..` AP-REQ is accepted too (MIT does). */
  #unframe(token: Buffer): { framing: Krb5MechOid | undefined; message: Buffer } {
    if (token[0] === 0x6e) return { framing: undefined, message: token };
    const gss = parseGssKrb5Token(token);
    if (gss.tokId !== TokId.apReq) throw new KerberosMessageError(`expected an AP-REQ token, got TOK_ID ${gss.tokId.toString(16).padStart(4, '0')}`);
    return { framing: gss.mech, message: gss.message };
  }

  #complete(verified: VerifiedApReq, framing: Krb5MechOid | undefined): StepResult {
    const { ticket } = verified;
    const clientSeq = verified.authenticator.seqNumber ?? 0;
    const fallbackKey = verified.initiatorSubkey ?? verified.sessionKey;
    let token: Buffer | undefined;
    let security: KerberosSessionSecurity;
    if (verified.mutual) {
      const mutual = buildMutualAuthentication(verified, framing, this.#options.randomBytes ?? cryptoRandomBytes);
      token = mutual.token;
      security = new KerberosSessionSecurity({
        ...mutual.acceptorSubkey,
        isAcceptorSubkey: true,
        sendSeq: mutual.sequenceNumber,
        receiveSeq: clientSeq,
      });
    } else {
      // Without an AP-REP both directions start from the initiator's sequence number [RFC 4121 §4.2.6].
      security = new KerberosSessionSecurity({ ...fallbackKey, isAcceptorSubkey: false, sendSeq: clientSeq, receiveSeq: clientSeq });
    }
    const identity: AuthenticatedIdentity = {
      // Mapping to a local account is the server's job; it gets the principal's first component.
      accountName: ticket.cname.nameString[0] ?? '',
      clientUserName: ticket.cname.nameString.join('/'),
      clientDomain: ticket.crealm,
      mechanism: 'Kerberos',
    };
    this.#state = { kind: 'established', identity, security };
    return { kind: 'complete', token, identity };
  }

  #fail(reason: string): StepResult {
    this.#state = { kind: 'failed', reason };
    return { kind: 'failed', reason };
  }

  #security(): KerberosSessionSecurity {
    if (this.#state.kind !== 'established') throw new MessageSecurityError('Kerberos context is not established');
    return this.#state.security;
  }
}
