import { MessageSecurityError, type SecurityContext } from '../security-context.js';
import type { MicCapable } from './mic-capable.js';

/**
 * GSS_GetMIC / GSS_VerifyMIC as an NTLM context exposes them (auth/ntlm's acceptor), plus the
 * per-direction RC4 restart that MS-SPNG requires after the mechListMIC.
 */
export interface ResettableGssMic {
  /** Signature with the server-to-client keys; consumes one send sequence number. */
  sign(message: Buffer): Buffer;
  /** Checks a client signature, consuming one receive sequence number; throws MessageSecurityError. */
  verify(message: Buffer, signature: Buffer): void;
  /** Re-initialises one direction's RC4 handle from its sealing key, keeping the sequence number. */
  resetCipher(direction: 'send' | 'receive'): void;
}

/**
 * Presents such a context as SecurityContext & MicCapable for SpnegoAcceptor: each MIC is computed
 * and then that direction's RC4 stream restarts, so the first sealed message in each direction uses
 * sequence number 1 and a fresh keystream (pyspnego `_step_spnego_mic`, notes §2.4). Use it in the
 * mechanism factory only for SPNEGO-wrapped NTLM; raw NTLM never resets.
 */
export function withSpnegoMic(context: SecurityContext & ResettableGssMic): SecurityContext & MicCapable {
  return {
    step: (token) => context.step(token),
    wrap: (plaintext) => context.wrap(plaintext),
    unwrap: (message, allocate) => context.unwrap(message, allocate),
    prepare: () => context.prepare?.(),
    signMic(data: Buffer): Buffer {
      const mic = context.sign(data);
      context.resetCipher('send');
      return mic;
    },
    verifyMic(data: Buffer, mic: Buffer): boolean {
      try {
        context.verify(data, mic);
      } catch (error) {
        if (error instanceof MessageSecurityError) return false;
        throw error;
      }
      context.resetCipher('receive');
      return true;
    },
  };
}
