import { type AvPair, encodeAvPairs } from './av-pairs.js';
import { NegotiateFlags, combineFlags, hasFlag } from './flags.js';
import {
  MessageType,
  NTLMSSP_SIGNATURE,
  type NtlmVersion,
  checkHeader,
  encodeVersion,
  parseVersion,
  readPayloadField,
  readUInt32,
  writePayloadField,
} from './wire.js';

export { type AuthenticateMessage, parseAuthenticateMessage } from './authenticate-message.js';

/**
 * NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1):
 *
 * | Offset | Size | Field |
 * |---|---|---|
 * | 0 | 8 | Signature |
 * | 8 | 4 | MessageType = 1 |
 * | 12 | 4 | NegotiateFlags |
 * | 16 | 8 | DomainNameFields (OEM, meaningful with NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED) |
 * | 24 | 8 | WorkstationFields (OEM, meaningful with NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED) |
 * | 32 | 8 | Version (with NTLMSSP_NEGOTIATE_VERSION) |
 */
export interface NegotiateMessage {
  readonly negotiateFlags: number;
  readonly domainName: string | undefined;
  readonly workstation: string | undefined;
  readonly version: NtlmVersion | undefined;
}

/** Parses a NEGOTIATE_MESSAGE; throws NtlmMessageError on malformed input. */
export function parseNegotiateMessage(message: Buffer): NegotiateMessage {
  checkHeader(message, MessageType.NtLmNegotiate, 'NEGOTIATE_MESSAGE');
  const negotiateFlags = readUInt32(message, 12, 'NegotiateFlags');
  // The fields after the flags are only read when a flag says they carry something: old clients
  // send a 16-byte message, and Windows leaves unused descriptors zeroed.
  const oemField = (offset: number, flag: number, what: string): string | undefined =>
    (negotiateFlags & flag) !== 0 ? readPayloadField(message, offset, what).value.toString('latin1') : undefined;
  return {
    negotiateFlags,
    domainName: oemField(16, NegotiateFlags.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED, 'DomainName'),
    workstation: oemField(24, NegotiateFlags.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, 'Workstation'),
    version:
      hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION) && message.length >= 40
        ? parseVersion(message, 32)
        : undefined,
  };
}

/** Flags the server always sets in its CHALLENGE_MESSAGE (MS-NLMP 3.2.5.1.1). */
const SERVER_FLAGS = combineFlags(
  NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE,
  NegotiateFlags.NTLMSSP_REQUEST_TARGET,
  NegotiateFlags.NTLMSSP_NEGOTIATE_NTLM,
  NegotiateFlags.NTLMSSP_NEGOTIATE_ALWAYS_SIGN,
  NegotiateFlags.NTLMSSP_TARGET_TYPE_SERVER,
  NegotiateFlags.NTLMSSP_NEGOTIATE_TARGET_INFO,
  NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION,
);

/** Capabilities granted only when the client asked for them. */
const ECHOED_FLAGS = combineFlags(
  NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL,
  NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
  NegotiateFlags.NTLMSSP_NEGOTIATE_128,
  NegotiateFlags.NTLMSSP_NEGOTIATE_56,
  NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH,
);

/**
 * The CHALLENGE_MESSAGE flags for a client's NEGOTIATE flags. Unicode is always chosen (Windows
 * does the same, and clients such as curl accept it without asking); OEM, LM_KEY and DATAGRAM
 * are never granted, since the acceptor only does NTLMv2 with extended session security.
 */
export function challengeFlags(clientFlags: number): number {
  return combineFlags(clientFlags & ECHOED_FLAGS, SERVER_FLAGS);
}

export interface ChallengeMessageOptions {
  readonly negotiateFlags: number;
  /** ServerChallenge: 8 random bytes. */
  readonly serverChallenge: Buffer;
  readonly targetName: string;
  readonly targetInfo: readonly AvPair[];
  readonly version: NtlmVersion;
}

/** Fixed part of the CHALLENGE_MESSAGE up to and including Version. */
const CHALLENGE_HEADER_LENGTH = 56;

/**
 * Builds a CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2):
 *
 * | Offset | Size | Field |
 * |---|---|---|
 * | 0 | 8 | Signature |
 * | 8 | 4 | MessageType = 2 |
 * | 12 | 8 | TargetNameFields |
 * | 20 | 4 | NegotiateFlags |
 * | 24 | 8 | ServerChallenge |
 * | 32 | 8 | Reserved |
 * | 40 | 8 | TargetInfoFields |
 * | 48 | 8 | Version |
 * | 56 | .. | Payload: TargetName (UTF-16LE), TargetInfo (AV pairs) |
 */
export function buildChallengeMessage(options: ChallengeMessageOptions): Buffer {
  if (options.serverChallenge.length !== 8) throw new RangeError('ServerChallenge must be 8 bytes');
  const targetName = Buffer.from(options.targetName, 'utf16le');
  const targetInfo = encodeAvPairs(options.targetInfo);
  if (targetName.length > 0xffff || targetInfo.length > 0xffff) throw new RangeError('CHALLENGE_MESSAGE payload too long');

  const header = Buffer.alloc(CHALLENGE_HEADER_LENGTH);
  NTLMSSP_SIGNATURE.copy(header, 0);
  header.writeUInt32LE(MessageType.NtLmChallenge, 8);
  writePayloadField(header, 12, targetName.length, CHALLENGE_HEADER_LENGTH);
  header.writeUInt32LE(options.negotiateFlags >>> 0, 20);
  options.serverChallenge.copy(header, 24);
  writePayloadField(header, 40, targetInfo.length, CHALLENGE_HEADER_LENGTH + targetName.length);
  encodeVersion(options.version).copy(header, 48);
  return Buffer.concat([header, targetName, targetInfo]);
}
