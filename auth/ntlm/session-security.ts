import { createHash } from 'node:crypto';
import { MessageSecurityError, type WrappedMessage } from '../security-context.js';
import { NegotiateFlags, hasFlag } from './flags.js';
import { constantTimeEqual, hmacMd5 } from './ntlmv2.js';
import { Rc4 } from './rc4.js';

/** The four per-direction keys of NTLM session security with extended session security. */
export interface SessionKeys {
  readonly clientSigningKey: Buffer;
  readonly serverSigningKey: Buffer;
  readonly clientSealingKey: Buffer;
  readonly serverSealingKey: Buffer;
}

/** The magic constants of SIGNKEY and SEALKEY (MS-NLMP 3.4.5.2, 3.4.5.3), each including its NUL. */
const magic = (text: string): Buffer => Buffer.from(`${text}\0`, 'latin1');
const CLIENT_SIGNING_MAGIC = magic('session key to client-to-server signing key magic constant');
const SERVER_SIGNING_MAGIC = magic('session key to server-to-client signing key magic constant');
const CLIENT_SEALING_MAGIC = magic('session key to client-to-server sealing key magic constant');
const SERVER_SEALING_MAGIC = magic('session key to server-to-client sealing key magic constant');

const md5 = (...parts: readonly Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();

/**
 * SIGNKEY and SEALKEY with NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY (MS-NLMP 3.4.5.2–3.4.5.3).
 * The sealing keys start from all 16 bytes of the ExportedSessionKey with NEGOTIATE_128, 7 bytes
 * with only NEGOTIATE_56, otherwise 5 bytes (40-bit).
 */
export function deriveSessionKeys(exportedSessionKey: Buffer, negotiateFlags: number): SessionKeys {
  const sealingBase = hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_128)
    ? exportedSessionKey
    : exportedSessionKey.subarray(0, hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_56) ? 7 : 5);
  return {
    clientSigningKey: md5(exportedSessionKey, CLIENT_SIGNING_MAGIC),
    serverSigningKey: md5(exportedSessionKey, SERVER_SIGNING_MAGIC),
    clientSealingKey: md5(sealingBase, CLIENT_SEALING_MAGIC),
    serverSealingKey: md5(sealingBase, SERVER_SEALING_MAGIC),
  };
}

/** Length of NTLMSSP_MESSAGE_SIGNATURE (MS-NLMP 2.2.2.9.1): Version 4, Checksum 8, SeqNum 4. */
export const SIGNATURE_LENGTH = 16;

/**
 * MAC with extended session security (MS-NLMP 3.4.4.2): Version = 1, Checksum = the first 8 bytes of
 * HMAC_MD5(SigningKey, SeqNum ‖ Message), RC4-encrypted with the direction's sealing handle when
 * KEY_EXCH is negotiated (pass the handle only then; its stream advances by 8 bytes), SeqNum.
 */
export function computeSignature(signingKey: Buffer, sealingHandle: Rc4 | undefined, seqNum: number, message: Buffer): Buffer {
  const seq = Buffer.alloc(4);
  seq.writeUInt32LE(seqNum >>> 0);
  const hmac = hmacMd5(signingKey, seq, message).subarray(0, 8);
  const checksum = sealingHandle === undefined ? hmac : sealingHandle.process(hmac);
  const version = Buffer.from([1, 0, 0, 0]);
  return Buffer.concat([version, checksum, seq]);
}

/** Below this, a message's RC4 costs microseconds: nothing is gained by making its stream ahead. */
const PREPARE_MIN_BYTES = 64 * 1024;

/** One direction's state: keys, the RC4 handle kept for the life of the context, the sequence number. */
class Direction {
  handle: Rc4;
  seqNum = 0;
  /** The size of the last message this direction sealed or unsealed, for Rc4.prepare. */
  lastMessageBytes = 0;

  constructor(
    readonly signingKey: Buffer,
    readonly sealingKey: Buffer,
  ) {
    this.handle = new Rc4(sealingKey);
  }

  /** Takes the current sequence number and advances it; a wrapped counter would repeat MACs. */
  takeSeqNum(): number {
    if (this.seqNum > 0xffffffff) throw new MessageSecurityError('NTLM sequence number space exhausted');
    return this.seqNum++;
  }
}

/**
 * Server-side NTLM session security (MS-NLMP 3.4) with extended session security: sealing and
 * signing to the client with the server-to-client keys, unsealing and verifying from the client with
 * the client-to-server keys. Any failed check makes the object unusable, since the RC4 streams of
 * the two sides can no longer be trusted to be in step.
 */
export class NtlmSessionSecurity {
  readonly #send: Direction;
  readonly #receive: Direction;
  readonly #keyExchange: boolean;
  readonly #sealing: boolean;
  #broken = false;

  constructor(exportedSessionKey: Buffer, negotiateFlags: number) {
    if (!hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
      throw new RangeError('NTLM session security is implemented only with extended session security');
    }
    const keys = deriveSessionKeys(exportedSessionKey, negotiateFlags);
    this.#send = new Direction(keys.serverSigningKey, keys.serverSealingKey);
    this.#receive = new Direction(keys.clientSigningKey, keys.clientSealingKey);
    this.#keyExchange = hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH);
    this.#sealing = hasFlag(negotiateFlags, NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL);
  }

  /** SEAL (MS-NLMP 3.4.3): encrypt the message, then sign it with the same RC4 stream. */
  seal(plaintext: Buffer): WrappedMessage {
    this.#checkUsable(true);
    const seqNum = this.#send.takeSeqNum();
    this.#send.lastMessageBytes = plaintext.length;
    const data = this.#send.handle.process(plaintext);
    const header = computeSignature(this.#send.signingKey, this.#handleForChecksum(this.#send), seqNum, plaintext);
    return { header, data };
  }

  /**
   * Decrypts a client message and checks its signature and sequence number; throws
   * MessageSecurityError. The plaintext goes into memory from `allocate` when given.
   */
  unseal(message: WrappedMessage, allocate?: (size: number) => Buffer): Buffer {
    this.#checkUsable(true);
    this.#receive.lastMessageBytes = message.data.length;
    const plaintext = this.#receive.handle.process(message.data, allocate?.(message.data.length));
    this.#checkSignature(plaintext, message.header);
    return plaintext;
  }

  /** GSS_GetMIC: a signature over `message` without sealing it (SPNEGO's mechListMIC uses this). */
  sign(message: Buffer): Buffer {
    this.#checkUsable(false);
    const seqNum = this.#send.takeSeqNum();
    return computeSignature(this.#send.signingKey, this.#handleForChecksum(this.#send), seqNum, message);
  }

  /** GSS_VerifyMIC for a client signature over `message`; throws MessageSecurityError. */
  verify(message: Buffer, signature: Buffer): void {
    this.#checkUsable(false);
    this.#checkSignature(message, signature);
  }

  /**
   * Makes each direction's RC4 key stream ahead for a next message as large as its last one, when
   * that was large (PREPARE_MIN_BYTES): a client streaming output or input sends such messages one
   * after another, and the listener calls this once it has sent a reply (Rc4.prepare).
   */
  prepareAhead(): void {
    if (this.#broken || !this.#sealing) return;
    for (const direction of [this.#send, this.#receive]) {
      if (direction.lastMessageBytes < PREPARE_MIN_BYTES) continue;
      // The checksum takes 8 more bytes of the stream when KEY_EXCH was negotiated.
      direction.handle.prepare(direction.lastMessageBytes + (this.#keyExchange ? 8 : 0));
    }
  }

  /**
   * Restarts one direction's RC4 stream from its sealing key, keeping the sequence number. MS-SPNG
   * requires this after the mechListMIC of that direction has been produced or verified.
   */
  resetCipher(direction: 'send' | 'receive'): void {
    const state = direction === 'send' ? this.#send : this.#receive;
    state.handle = new Rc4(state.sealingKey);
  }

  #handleForChecksum(direction: Direction): Rc4 | undefined {
    return this.#keyExchange ? direction.handle : undefined;
  }

  #checkSignature(message: Buffer, signature: Buffer): void {
    const seqNum = this.#receive.takeSeqNum();
    const expected = computeSignature(this.#receive.signingKey, this.#handleForChecksum(this.#receive), seqNum, message);
    if (signature.length !== SIGNATURE_LENGTH) this.#fail('NTLM signature must be 16 bytes');
    // The sequence number is not secret; checking it first gives replays and reordering a clear error.
    if (signature.readUInt32LE(12) !== seqNum) this.#fail(`NTLM message out of sequence (expected ${seqNum})`);
    if (!constantTimeEqual(expected, signature)) this.#fail('NTLM signature does not verify');
  }

  #checkUsable(needsSealing: boolean): void {
    if (this.#broken) throw new MessageSecurityError('NTLM session security failed earlier; the context must be dropped');
    if (needsSealing && !this.#sealing) throw new MessageSecurityError('NTLMSSP_NEGOTIATE_SEAL was not negotiated');
  }

  #fail(reason: string): never {
    this.#broken = true;
    throw new MessageSecurityError(reason);
  }
}
