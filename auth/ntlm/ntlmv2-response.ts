import { type AvPair, parseAvPairs } from './av-pairs.js';
import { NtlmMessageError, readBytes, readUInt8 } from './wire.js';

/**
 * NTLMv2_RESPONSE (MS-NLMP 2.2.2.8): NTProofStr (16 bytes) followed by the NTLMv2_CLIENT_CHALLENGE
 * (2.2.2.7), which the spec's algorithm calls `temp`:
 *
 * | Offset in temp | Size | Field |
 * |---|---|---|
 * | 0 | 1 | RespType = 1 |
 * | 1 | 1 | HiRespType = 1 |
 * | 2 | 6 | Reserved1, Reserved2 |
 * | 8 | 8 | TimeStamp (FILETIME) |
 * | 16 | 8 | ChallengeFromClient |
 * | 24 | 4 | Reserved3 |
 * | 28 | .. | AvPairs, ending in MsvAvEOL, then padding |
 */
export interface Ntlmv2Response {
  readonly ntProofStr: Buffer;
  /** The client's `temp` bytes exactly as sent: the proof is an HMAC over them, never over a re-encoding. */
  readonly clientChallenge: Buffer;
  readonly timeStamp: Buffer;
  readonly challengeFromClient: Buffer;
  readonly avPairs: readonly AvPair[];
}

const NT_PROOF_LENGTH = 16;
const CLIENT_CHALLENGE_HEADER_LENGTH = 28;

/** The shortest NtChallengeResponse that can be NTLMv2 (header plus MsvAvEOL). */
export const MIN_NTLMV2_RESPONSE_LENGTH = NT_PROOF_LENGTH + CLIENT_CHALLENGE_HEADER_LENGTH + 4;

/** Parses an NtChallengeResponse as NTLMv2; throws NtlmMessageError when it is not one. */
export function parseNtlmv2Response(response: Buffer): Ntlmv2Response {
  if (response.length < MIN_NTLMV2_RESPONSE_LENGTH) throw new NtlmMessageError('NTLMv2 response is too short');
  const clientChallenge = response.subarray(NT_PROOF_LENGTH);
  const respType = readUInt8(clientChallenge, 0, 'RespType');
  const hiRespType = readUInt8(clientChallenge, 1, 'HiRespType');
  if (respType !== 1 || hiRespType !== 1) throw new NtlmMessageError('NTLMv2 response has an unknown RespType');
  return {
    ntProofStr: response.subarray(0, NT_PROOF_LENGTH),
    clientChallenge,
    timeStamp: readBytes(clientChallenge, 8, 8, 'TimeStamp'),
    challengeFromClient: readBytes(clientChallenge, 16, 8, 'ChallengeFromClient'),
    avPairs: parseAvPairs(clientChallenge.subarray(CLIENT_CHALLENGE_HEADER_LENGTH)),
  };
}
