import { createHmac, timingSafeEqual } from 'node:crypto';
import { NegotiateFlags, hasFlag } from './flags.js';
import { rc4k } from './rc4.js';
import { MIC_LENGTH, MIC_OFFSET } from './authenticate-message.js';

/** HMAC_MD5(key, data…) as MS-NLMP 6 defines it. */
export function hmacMd5(key: Buffer, ...data: readonly Buffer[]): Buffer {
  const hmac = createHmac('md5', key);
  for (const part of data) hmac.update(part);
  return hmac.digest();
}

/**
 * Upper-cases a user name the way Windows' RtlUpcaseUnicodeString does: one UTF-16 code unit at a
 * time, never changing the length. `String.prototype.toUpperCase` alone would turn "ß" into "SS"
 * and so derive a key no Windows client computes.
 */
export function upcaseUserName(userName: string): string {
  let result = '';
  for (const char of userName) {
    // Characters outside the BMP, and those whose capital is longer (ß → SS), stay as they are.
    const upper = char.toUpperCase();
    result += char.length === 1 && upper.length === 1 ? upper : char;
  }
  return result;
}

/**
 * NTOWFv2 (MS-NLMP 3.3.2), also ResponseKeyNT:
 * HMAC_MD5(NTOWFv1(password), UNICODE(Uppercase(UserName) ‖ UserDom)). The domain is used as
 * the client sent it, not upper-cased.
 */
export function ntowfv2(ntHash: Buffer, userName: string, domain: string): Buffer {
  return hmacMd5(ntHash, Buffer.from(upcaseUserName(userName) + domain, 'utf16le'));
}

/** NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge ‖ temp) (MS-NLMP 3.3.2). */
export function computeNtProofStr(responseKeyNT: Buffer, serverChallenge: Buffer, clientChallenge: Buffer): Buffer {
  return hmacMd5(responseKeyNT, serverChallenge, clientChallenge);
}

/** Constant-time equality of two secret-derived values; unequal lengths compare unequal. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the client's NTProofStr matches the one computed from the account's key. */
export function verifyNtProofStr(
  responseKeyNT: Buffer,
  serverChallenge: Buffer,
  ntProofStr: Buffer,
  clientChallenge: Buffer,
): boolean {
  return constantTimeEqual(computeNtProofStr(responseKeyNT, serverChallenge, clientChallenge), ntProofStr);
}

/**
 * SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr) (MS-NLMP 3.3.2). For NTLMv2 the
 * KeyExchangeKey equals the SessionBaseKey (MS-NLMP 3.4.5.1).
 */
export function sessionBaseKey(responseKeyNT: Buffer, ntProofStr: Buffer): Buffer {
  return hmacMd5(responseKeyNT, ntProofStr);
}

/**
 * ExportedSessionKey (MS-NLMP 3.2.5.1.2): with KEY_EXCH and SIGN or SEAL the client chose a random
 * key and sent it RC4K-encrypted under the KeyExchangeKey; otherwise it is the KeyExchangeKey.
 * Returns undefined when KEY_EXCH is negotiated but EncryptedRandomSessionKey is not 16 bytes.
 */
export function exportedSessionKey(
  keyExchangeKey: Buffer,
  negotiateFlags: number,
  encryptedRandomSessionKey: Buffer,
): Buffer | undefined {
  const keyExchange =
    hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH) &&
    (hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN) ||
      hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL));
  if (!keyExchange) return keyExchangeKey;
  if (encryptedRandomSessionKey.length !== 16) return undefined;
  return rc4k(keyExchangeKey, encryptedRandomSessionKey);
}

/**
 * MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE_MESSAGE ‖ CHALLENGE_MESSAGE ‖ AUTHENTICATE_MESSAGE)
 * with the AUTHENTICATE_MESSAGE's MIC field zeroed (MS-NLMP 3.1.5.1.2, 3.2.5.1.2). The messages are
 * the exact bytes exchanged.
 */
export function computeMic(exportedSessionKey: Buffer, negotiate: Buffer, challenge: Buffer, authenticate: Buffer): Buffer {
  const zeroed = Buffer.from(authenticate);
  zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + MIC_LENGTH);
  return hmacMd5(exportedSessionKey, negotiate, challenge, zeroed);
}

/** Whether `mic` is the MIC of the three messages, compared in constant time. */
export function verifyMic(
  exportedSessionKey: Buffer,
  negotiate: Buffer,
  challenge: Buffer,
  authenticate: Buffer,
  mic: Buffer,
): boolean {
  return constantTimeEqual(computeMic(exportedSessionKey, negotiate, challenge, authenticate), mic);
}
