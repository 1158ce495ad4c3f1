import { MsvAvFlagBits, avFlags } from './av-pairs.js';
import { NegotiateFlags, hasFlag } from './flags.js';
import { type Ntlmv2Response, parseNtlmv2Response } from './ntlmv2-response.js';
import {
  MessageType,
  NtlmMessageError,
  type NtlmVersion,
  type PayloadField,
  checkHeader,
  decodeText,
  parseVersion,
  readPayloadField,
  readUInt32,
} from './wire.js';

/**
 * AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3):
 *
 * | Offset | Size | Field |
 * |---|---|---|
 * | 0 | 8 | Signature |
 * | 8 | 4 | MessageType = 3 |
 * | 12 | 8 | LmChallengeResponseFields |
 * | 20 | 8 | NtChallengeResponseFields |
 * | 28 | 8 | DomainNameFields |
 * | 36 | 8 | UserNameFields |
 * | 44 | 8 | WorkstationFields |
 * | 52 | 8 | EncryptedRandomSessionKeyFields |
 * | 60 | 4 | NegotiateFlags |
 * | 64 | 8 | Version |
 * | 72 | 16 | MIC (only when the NTLMv2 response's MsvAvFlags has bit 0x2) |
 * | .. | .. | Payload |
 */
export interface AuthenticateMessage {
  readonly negotiateFlags: number;
  readonly lmChallengeResponse: Buffer;
  readonly ntChallengeResponse: Buffer;
  readonly domainName: string;
  readonly userName: string;
  readonly workstation: string;
  readonly encryptedRandomSessionKey: Buffer;
  readonly version: NtlmVersion | undefined;
  /** The parsed NtChallengeResponse when it is longer than an NTLMv1 response (24 bytes). */
  readonly ntlmv2: Ntlmv2Response | undefined;
  /** The MIC, when the client says (MsvAvFlags bit 0x2) that it sent one. */
  readonly mic: Buffer | undefined;
}

/** Offset of the MIC field; the MIC is computed over the message with these 16 bytes zeroed. */
export const MIC_OFFSET = 72;
export const MIC_LENGTH = 16;

const FIXED_LENGTH_WITHOUT_VERSION = 64;
const NTLMV1_RESPONSE_LENGTH = 24;

/** Parses an AUTHENTICATE_MESSAGE; throws NtlmMessageError on malformed input. */
export function parseAuthenticateMessage(message: Buffer): AuthenticateMessage {
  checkHeader(message, MessageType.NtLmAuthenticate, 'AUTHENTICATE_MESSAGE');
  const field = (offset: number, what: string): PayloadField => readPayloadField(message, offset, what);
  const lm = field(12, 'LmChallengeResponse');
  const nt = field(20, 'NtChallengeResponse');
  const domain = field(28, 'DomainName');
  const user = field(36, 'UserName');
  const workstation = field(44, 'Workstation');
  const sessionKey = field(52, 'EncryptedRandomSessionKey');
  const negotiateFlags = readUInt32(message, 60, 'NegotiateFlags');

  // Where the payload starts tells which optional fixed fields (Version, MIC) the sender laid out.
  const used = [lm, nt, domain, user, workstation, sessionKey].filter((f) => f.value.length > 0);
  const payloadStart = Math.min(message.length, ...used.map((f) => f.offset));
  if (payloadStart < FIXED_LENGTH_WITHOUT_VERSION) throw new NtlmMessageError('AUTHENTICATE_MESSAGE payload overlaps its header');

  const ntlmv2 = parseNtResponse(nt.value);
  const micPresent = ntlmv2 !== undefined && (avFlags(ntlmv2.avPairs) & MsvAvFlagBits.MSV1_0_AV_FLAG_MIC_HANDSHAKE_MESSAGES) !== 0;
  if (micPresent && payloadStart < MIC_OFFSET + MIC_LENGTH) {
    throw new NtlmMessageError('AUTHENTICATE_MESSAGE announces a MIC but has no room for it');
  }

  const unicode = hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE);
  return {
    negotiateFlags,
    lmChallengeResponse: lm.value,
    ntChallengeResponse: nt.value,
    domainName: decodeText(domain.value, unicode, 'DomainName'),
    userName: decodeText(user.value, unicode, 'UserName'),
    workstation: decodeText(workstation.value, unicode, 'Workstation'),
    encryptedRandomSessionKey: sessionKey.value,
    version:
      hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION) && payloadStart >= MIC_OFFSET
        ? parseVersion(message, 64)
        : undefined,
    ntlmv2,
    mic: micPresent ? Buffer.from(message.subarray(MIC_OFFSET, MIC_OFFSET + MIC_LENGTH)) : undefined,
  };
}

/** NTLMv2 when longer than 24 bytes; undefined for an empty or NTLMv1-sized response. */
function parseNtResponse(response: Buffer): Ntlmv2Response | undefined {
  if (response.length === 0 || response.length === NTLMV1_RESPONSE_LENGTH) return undefined;
  return parseNtlmv2Response(response);
}
