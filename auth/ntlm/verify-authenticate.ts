import type { AuthenticatedIdentity } from '../security-context.js';
import { AvId, findAvPair } from './av-pairs.js';
import { type ChannelBindingPolicy, checkChannelBindings } from './channel-bindings.js';
import { fileTimeToUnixMs } from './filetime.js';
import { NegotiateFlags, hasFlag } from './flags.js';
import { type AuthenticateMessage, parseAuthenticateMessage } from './messages.js';
import { exportedSessionKey, ntowfv2, sessionBaseKey, verifyMic, verifyNtProofStr } from './ntlmv2.js';

/** What the account store returns for a user: the local account name and its NT hash (NTOWFv1). */
export interface NtlmAccount {
  readonly accountName: string;
  readonly ntHash: Buffer;
}

export interface VerifySettings {
  readonly lookupAccount: (userName: string, domain: string) => Promise<NtlmAccount | undefined>;
  readonly now: () => Date;
  readonly channelBindingHash: Buffer | undefined;
  readonly channelBindingPolicy: ChannelBindingPolicy;
  readonly maxClockSkewMs: number;
}

/** The exact bytes of the three handshake messages and the challenge the server chose. */
export interface Handshake {
  readonly negotiate: Buffer;
  readonly challenge: Buffer;
  readonly serverChallenge: Buffer;
  readonly authenticate: Buffer;
}

export type VerifyOutcome =
  | {
      readonly ok: true;
      readonly identity: AuthenticatedIdentity;
      readonly negotiateFlags: number;
      readonly exportedSessionKey: Buffer;
      readonly micPresent: boolean;
    }
  | { readonly ok: false; readonly reason: string; readonly clientUserName?: string | undefined };

/** Stands in for a missing account so that an unknown user costs the same work as a wrong password. */
const DUMMY_NT_HASH = Buffer.alloc(16);

const refuse = (reason: string, clientUserName?: string): VerifyOutcome => ({ ok: false, reason, clientUserName });

/**
 * Server-side AUTHENTICATE_MESSAGE processing (MS-NLMP 3.2.5.1.2, 3.3.2) for NTLMv2 only.
 * Throws NtlmMessageError for a malformed message; every other refusal is an outcome.
 */
export async function verifyAuthenticate(handshake: Handshake, settings: VerifySettings): Promise<VerifyOutcome> {
  const message = parseAuthenticateMessage(handshake.authenticate);
  const flags = message.negotiateFlags;
  const { ntlmv2 } = message;
  const who = message.domainName === '' ? message.userName : `${message.domainName}\\${message.userName}`;

  const anonymous =
    message.ntChallengeResponse.length === 0 &&
    (message.lmChallengeResponse.length === 0 || message.lmChallengeResponse.equals(Buffer.from([0])));
  if (anonymous || message.userName === '' || hasFlag(flags, NegotiateFlags.NTLMSSP_ANONYMOUS)) {
    return refuse('anonymous (null session) logon refused', who);
  }
  if (message.ntChallengeResponse.length === 0) return refuse('LM-only response refused', who);
  if (ntlmv2 === undefined) return refuse('NTLMv1 response refused; NTLMv2 is required', who);
  const flagProblem = checkSessionFlags(flags);
  if (flagProblem !== undefined) return refuse(flagProblem, who);

  // MSV1_0 limits how long an NTLMv2 response may be used (MSV1_0_MAX_NTLM3_LIFE); clients copy the
  // server's MsvAvTimestamp, so this mostly bounds the life of a challenge.
  const skew = Math.abs(settings.now().getTime() - fileTimeToUnixMs(ntlmv2.timeStamp));
  if (!(skew <= settings.maxClockSkewMs)) return refuse('NTLMv2 response timestamp is outside the allowed clock skew', who);

  const account = await settings.lookupAccount(message.userName, message.domainName);
  const responseKeyNT = findResponseKey(account?.ntHash ?? DUMMY_NT_HASH, message, handshake.serverChallenge);
  if (account === undefined) return refuse('unknown user', who);
  if (responseKeyNT === undefined) return refuse('wrong password (NTProofStr does not verify)', who);

  const keyExchangeKey = sessionBaseKey(responseKeyNT, ntlmv2.ntProofStr);
  const sessionKey = exportedSessionKey(keyExchangeKey, flags, message.encryptedRandomSessionKey);
  if (sessionKey === undefined) return refuse('EncryptedRandomSessionKey must be 16 bytes with KEY_EXCH', who);

  if (message.mic !== undefined) {
    const { negotiate, challenge, authenticate } = handshake;
    if (!verifyMic(sessionKey, negotiate, challenge, authenticate, message.mic)) return refuse('MIC does not verify', who);
  }

  const bindings = findAvPair(ntlmv2.avPairs, AvId.MsvAvChannelBindings);
  const bindingProblem = checkChannelBindings(settings.channelBindingPolicy, settings.channelBindingHash, bindings);
  if (bindingProblem !== undefined) return refuse(bindingProblem, who);

  return {
    ok: true,
    identity: {
      accountName: account.accountName,
      clientUserName: message.userName,
      clientDomain: message.domainName,
      mechanism: 'NTLM',
    },
    negotiateFlags: flags,
    exportedSessionKey: sessionKey,
    micPresent: message.mic !== undefined,
  };
}

/**
 * Finds the ResponseKeyNT whose NTProofStr matches. Besides the domain as sent, MS-NLMP 3.2.5.1.2
 * asks servers to accept clients that wrongly hashed an empty domain, and Samba also tries the
 * upper-cased domain. Every candidate is tried, so the time taken does not depend on which matched.
 */
function findResponseKey(ntHash: Buffer, message: AuthenticateMessage, serverChallenge: Buffer): Buffer | undefined {
  const { ntlmv2 } = message;
  if (ntlmv2 === undefined) return undefined;
  const domains = [...new Set([message.domainName, '', message.domainName.toUpperCase()])];
  let found: Buffer | undefined;
  for (const domain of domains) {
    const key = ntowfv2(ntHash, message.userName, domain);
    if (verifyNtProofStr(key, serverChallenge, ntlmv2.ntProofStr, ntlmv2.clientChallenge)) found ??= key;
  }
  return found;
}

/** Session security is implemented only with extended session security and 128-bit sealing keys. */
function checkSessionFlags(flags: number): string | undefined {
  const signOrSeal =
    hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN) || hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL);
  if (signOrSeal && !hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
    return 'signing or sealing without NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY is not supported';
  }
  if (hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL) && !hasFlag(flags, NegotiateFlags.NTLMSSP_NEGOTIATE_128)) {
    return 'sealing requires NTLMSSP_NEGOTIATE_128';
  }
  return undefined;
}
