import { MessageSecurityError } from '../security-context.js';
import { type EncryptionType, verifyChecksum } from './crypto/index.js';
import { PerMessageTokId, TOKEN_HEADER_LENGTH } from './wrap-token.js';

/** The MIC token header: TOK_ID 04 04, Flags, Filler FF FF FF FF FF, SND_SEQ [RFC 4121 §4.2.6.1]. */
export interface MicHeader {
  readonly flags: number;
  readonly sndSeq: bigint;
}

const FILLER = Buffer.alloc(5, 0xff);
const UINT64_MASK = (1n << 64n) - 1n;

function encodeMicHeader(header: MicHeader): Buffer {
  const out = Buffer.alloc(TOKEN_HEADER_LENGTH);
  out.writeUInt16BE(PerMessageTokId.mic, 0);
  out[2] = header.flags;
  FILLER.copy(out, 3);
  out.writeBigUInt64BE(header.sndSeq & UINT64_MASK, 8);
  return out;
}

/** `header ‖ checksum(key, usage, data ‖ header)`: the checksum covers the message, then the header [RFC 4121 §4.2.6.1]. */
export function buildMicToken(enctype: EncryptionType, key: Buffer, usage: number, header: MicHeader, data: Buffer): Buffer {
  const encoded = encodeMicHeader(header);
  return Buffer.concat([encoded, enctype.checksum(key, usage, Buffer.concat([data, encoded]))]);
}

/**
 * Checks a MIC token's framing and checksum and returns its header, for the caller to check
 * flags and sequence. Throws MessageSecurityError.
 */
export function verifyMicToken(enctype: EncryptionType, key: Buffer, usage: number, data: Buffer, token: Buffer): MicHeader {
  if (token.length !== TOKEN_HEADER_LENGTH + enctype.checksumLength) throw new MessageSecurityError('Kerberos MIC token has the wrong length');
  if (token.readUInt16BE(0) !== PerMessageTokId.mic) throw new MessageSecurityError('not a Kerberos MIC token (TOK_ID)');
  if (!token.subarray(3, 8).equals(FILLER)) throw new MessageSecurityError('Kerberos MIC token filler is not FF');
  const header = token.subarray(0, TOKEN_HEADER_LENGTH);
  let valid: boolean;
  try {
    valid = verifyChecksum(enctype, key, usage, Buffer.concat([data, header]), token.subarray(TOKEN_HEADER_LENGTH));
  } catch {
    valid = false;
  }
  if (!valid) throw new MessageSecurityError('Kerberos MIC token checksum does not verify');
  return { flags: token[2] ?? 0, sndSeq: token.readBigUInt64BE(8) };
}
