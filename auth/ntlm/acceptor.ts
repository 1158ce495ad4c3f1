import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import {
  type AuthenticatedIdentity,
  MessageSecurityError,
  type SecurityContext,
  type StepResult,
  type WrappedMessage,
} from '../security-context.js';
import { AvId, type AvPair, textAvPair } from './av-pairs.js';
import type { ChannelBindingPolicy } from './channel-bindings.js';
import { encodeFileTime } from './filetime.js';
import { NegotiateFlags, hasFlag } from './flags.js';
import { buildChallengeMessage, challengeFlags, parseNegotiateMessage } from './messages.js';
import { NtlmSessionSecurity } from './session-security.js';
import { type NtlmAccount, verifyAuthenticate } from './verify-authenticate.js';
import { MessageType, NTLMSSP_REVISION_W2K3, NTLMSSP_SIGNATURE, NtlmMessageError, type NtlmVersion } from './wire.js';

/** The server's names as NTLM reports them in the CHALLENGE_MESSAGE target info. */
export interface NtlmServerNames {
  readonly netbiosComputer: string;
  readonly netbiosDomain: string;
  readonly dnsComputer: string;
  readonly dnsDomain: string;
}

export interface NtlmAcceptorOptions {
  /** Finds the account for the user and domain exactly as the client sent them. */
  lookupAccount(userName: string, domain: string): Promise<NtlmAccount | undefined>;
  readonly names: NtlmServerNames;
  /** The OS version the CHALLENGE reports (Winrmd.OsVersion); SERVER_VERSION by default. */
  readonly version?: NtlmVersion | undefined;
  readonly now?: (() => Date) | undefined;
  readonly randomBytes?: ((n: number) => Buffer) | undefined;
  /** MD5 of the gss_channel_bindings_struct for this TLS connection (gssChannelBindingsHash); absent on HTTP. */
  readonly channelBindingHash?: Buffer | undefined;
  /** Default `Relaxed`, the Windows default. */
  readonly channelBindingPolicy?: ChannelBindingPolicy | undefined;
  /**
   * Largest accepted difference between the NTLMv2 response's TimeStamp and now(). Default 36 hours,
   * Windows' MSV1_0_MAX_NTLM3_LIFE; `Infinity` disables the check.
   */
  readonly maxClockSkewMs?: number | undefined;
}

/** MSV1_0_MAX_NTLM3_LIFE (ntsecapi.h): 129 600 s, "the longest amount of time we'll allow challenge response pairs to be used". */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 129_600_000;

/** The Version the server reports: Windows Server 2022 (10.0.20348), NTLM revision 15. */
export const SERVER_VERSION: NtlmVersion = {
  productMajorVersion: 10,
  productMinorVersion: 0,
  productBuild: 20348,
  ntlmRevisionCurrent: NTLMSSP_REVISION_W2K3,
};

type AcceptorState =
  | { readonly kind: 'initial' }
  | { readonly kind: 'challengeSent'; readonly negotiate: Buffer; readonly challenge: Buffer; readonly serverChallenge: Buffer }
  /** The AUTHENTICATE_MESSAGE is being checked; the challenge is already spent. */
  | { readonly kind: 'verifying' }
  | {
      readonly kind: 'established';
      readonly identity: AuthenticatedIdentity;
      readonly security: NtlmSessionSecurity | undefined;
      readonly micPresent: boolean;
    }
  | { readonly kind: 'failed'; readonly reason: string };

/** True when the token is a raw NTLMSSP message (starts with "NTLMSSP\0"). */
export function looksLikeNtlm(token: Buffer): boolean {
  return token.length >= NTLMSSP_SIGNATURE.length && token.subarray(0, NTLMSSP_SIGNATURE.length).equals(NTLMSSP_SIGNATURE);
}

/**
 * The NTLM acceptor (MS-NLMP 3.2): NEGOTIATE → CHALLENGE, then AUTHENTICATE → complete or failed.
 * NTLMv2 only; one challenge per context, spent by the first AUTHENTICATE whatever its outcome.
 */
export class NtlmAcceptor implements SecurityContext {
  #state: AcceptorState = { kind: 'initial' };
  readonly #options: NtlmAcceptorOptions;

  constructor(options: NtlmAcceptorOptions) {
    this.#options = options;
  }

  get status(): AcceptorState['kind'] {
    return this.#state.kind;
  }

  /** Whether the AUTHENTICATE_MESSAGE carried a MIC; SPNEGO then requires a mechListMIC (MS-SPNG 3.3.5.1). */
  get authenticateHadMic(): boolean {
    return this.#state.kind === 'established' && this.#state.micPresent;
  }

  async step(token: Buffer): Promise<StepResult> {
    const state = this.#state;
    const received = Buffer.from(token); // the caller's buffer may be reused; the MIC needs these exact bytes
    try {
      if (state.kind === 'initial') return this.#onNegotiate(received);
      if (state.kind === 'challengeSent') return await this.#onAuthenticate(state, received);
      return this.#fail(`NTLM token received in state ${state.kind}`);
    } catch (error) {
      if (error instanceof NtlmMessageError) return this.#fail(`malformed NTLM message: ${error.message}`);
      this.#state = { kind: 'failed', reason: 'internal error' };
      throw error;
    }
  }

  wrap(plaintext: Buffer): WrappedMessage {
    return this.#security().seal(plaintext);
  }

  unwrap(message: WrappedMessage, allocate?: (size: number) => Buffer): Buffer {
    return this.#security().unseal(message, allocate);
  }

  prepare(): void {
    const state = this.#state;
    if (state.kind === 'established') state.security?.prepareAhead();
  }

  /** GSS_GetMIC with the server-to-client keys (for SPNEGO's mechListMIC). */
  sign(message: Buffer): Buffer {
    return this.#security().sign(message);
  }

  /** GSS_VerifyMIC with the client-to-server keys; throws MessageSecurityError. */
  verify(message: Buffer, signature: Buffer): void {
    this.#security().verify(message, signature);
  }

  /** Restarts one direction's RC4 stream, as MS-SPNG requires after that direction's mechListMIC. */
  resetCipher(direction: 'send' | 'receive'): void {
    this.#security().resetCipher(direction);
  }

  #onNegotiate(token: Buffer): StepResult {
    if (looksLikeNtlm(token) && token.length >= 12 && token.readUInt32LE(8) !== MessageType.NtLmNegotiate) {
      return this.#fail('expected an NTLM NEGOTIATE_MESSAGE first');
    }
    const negotiate = parseNegotiateMessage(token);
    const serverChallenge = (this.#options.randomBytes ?? cryptoRandomBytes)(8);
    if (serverChallenge.length !== 8) throw new RangeError('randomBytes returned the wrong length');
    const { names } = this.#options;
    const challenge = buildChallengeMessage({
      negotiateFlags: challengeFlags(negotiate.negotiateFlags),
      serverChallenge,
      targetName: names.netbiosComputer,
      targetInfo: this.#targetInfo(),
      version: this.#options.version ?? SERVER_VERSION,
    });
    this.#state = { kind: 'challengeSent', negotiate: token, challenge, serverChallenge: Buffer.from(serverChallenge) };
    return { kind: 'continue', token: challenge };
  }

  async #onAuthenticate(state: Extract<AcceptorState, { kind: 'challengeSent' }>, token: Buffer): Promise<StepResult> {
    const verifying: AcceptorState = { kind: 'verifying' };
    this.#state = verifying;
    const options = this.#options;
    const outcome = await verifyAuthenticate(
      { negotiate: state.negotiate, challenge: state.challenge, serverChallenge: state.serverChallenge, authenticate: token },
      {
        lookupAccount: (userName, domain) => options.lookupAccount(userName, domain),
        now: options.now ?? (() => new Date()),
        channelBindingHash: options.channelBindingHash,
        channelBindingPolicy: options.channelBindingPolicy ?? 'Relaxed',
        maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
      },
    );
    // A token that arrived while this one was being checked has already failed the context.
    if (this.#state !== verifying) return { kind: 'failed', reason: 'NTLM context failed during verification' };
    if (!outcome.ok) return this.#fail(outcome.reason, outcome.clientUserName);
    const flags = outcome.negotiateFlags;
    const wantsSecurity =
      hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN) || hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL);
    const security = wantsSecurity ? new NtlmSessionSecurity(outcome.exportedSessionKey, flags) : undefined;
    this.#state = { kind: 'established', identity: outcome.identity, security, micPresent: outcome.micPresent };
    return { kind: 'complete', token: undefined, identity: outcome.identity };
  }

  /** Target info in the order Windows sends it; the timestamp makes NTLMv2 clients add a MIC. */
  #targetInfo(): AvPair[] {
    const { names } = this.#options;
    const now = (this.#options.now ?? (() => new Date()))();
    const pairs = [
      textAvPair(AvId.MsvAvNbDomainName, names.netbiosDomain),
      textAvPair(AvId.MsvAvNbComputerName, names.netbiosComputer),
    ];
    if (names.dnsDomain !== '') pairs.push(textAvPair(AvId.MsvAvDnsDomainName, names.dnsDomain));
    if (names.dnsComputer !== '') pairs.push(textAvPair(AvId.MsvAvDnsComputerName, names.dnsComputer));
    pairs.push({ id: AvId.MsvAvTimestamp, value: encodeFileTime(now) });
    return pairs;
  }

  #security(): NtlmSessionSecurity {
    const state = this.#state;
    if (state.kind !== 'established') throw new MessageSecurityError('NTLM context is not established');
    if (state.security === undefined) throw new MessageSecurityError('NTLM signing and sealing were not negotiated');
    return state.security;
  }

  #fail(reason: string, clientUserName?: string): StepResult {
    this.#state = { kind: 'failed', reason };
    return { kind: 'failed', reason, clientUserName };
  }
}
