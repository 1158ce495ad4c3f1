import type { SecurityContext } from '../security-context.js';

/**
 * The two extra operations SPNEGO needs from an inner mechanism to protect the negotiation with a
 * mechListMIC [RFC 4178 §5, MS-SPNG 3.2.5.1]. `data` is always the DER MechTypeList exactly as the
 * client sent it. The SPNEGO acceptor calls them only after the inner context reported `complete`,
 * at most once each, and when the client sends a MIC it calls verifyMic before signMic.
 *
 * NTLM (MS-NLMP 3.4.4.2, extended session security, as in notes §2.4):
 * - `signMic(data)` = `LE32(1) ‖ checksum ‖ LE32(sendSeq)` where
 *   `checksum = HMAC_MD5(ServerSigningKey, LE32(sendSeq) ‖ data)[0..8)`, RC4-encrypted with the
 *   server-to-client sealing handle when KEY_EXCH was negotiated; sendSeq is 0 here. Then
 *   sendSeq += 1 and the server-to-client RC4 handle is re-initialised from ServerSealingKey.
 * - `verifyMic(data, mic)` computes the same with ClientSigningKey, the client-to-server RC4 handle
 *   and recvSeq (0 here), compares all 16 bytes in constant time, then recvSeq += 1 and the
 *   client-to-server RC4 handle is re-initialised from ClientSealingKey. Return false (do not
 *   throw) on mismatch or wrong length; the context is discarded anyway.
 * So the first sealed WinRM message in each direction uses sequence number 1 and a fresh RC4
 * keystream (pyspnego `_step_spnego_mic` + `_reset_ntlm_crypto_state`, which resets only the RC4
 * handle of the direction just used and leaves the sequence counters running).
 *
 * Kerberos: an RFC 4121 §4.2.6.1 MIC token (TOK_ID 04 04) with the acceptor (sign) or initiator
 * (verify) sequence number and key usage 23 / 25; no reset.
 */
export interface MicCapable {
  signMic(data: Buffer): Buffer;
  verifyMic(data: Buffer, mic: Buffer): boolean;
}

export function isMicCapable(context: SecurityContext): context is SecurityContext & MicCapable {
  const candidate: SecurityContext & Partial<MicCapable> = context;
  return typeof candidate.signMic === 'function' && typeof candidate.verifyMic === 'function';
}
