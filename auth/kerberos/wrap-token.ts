import { MessageSecurityError } from '../security-context.js';
import { bufferOfPieces, piecesLength, rotatePiecesRight, slicePieces, type BytePieces } from './crypto/byte-pieces.js';
import type { PiecewiseEncryptionType } from './crypto/enctype.js';

/** TOK_ID of the per-message tokens [RFC 4121 §4.2.6]. */
export const PerMessageTokId = { mic: 0x0404, wrap: 0x0504 } as const;

/** Flags octet of MIC and Wrap tokens [RFC 4121 §4.2.2]. */
export const TokenFlags = { sentByAcceptor: 0x01, sealed: 0x02, acceptorSubkey: 0x04 } as const;

/** Key usage numbers of the per-message tokens [RFC 4121 §2]. */
export const KeyUsage = { acceptorSeal: 22, acceptorSign: 23, initiatorSeal: 24, initiatorSign: 25 } as const;

/** Both token headers are 16 bytes [RFC 4121 §4.2.6.1, §4.2.6.2]. */
export const TOKEN_HEADER_LENGTH = 16;

/** The Wrap token header: TOK_ID 05 04, Flags, Filler FF, EC, RRC, SND_SEQ [RFC 4121 §4.2.6.2]. */
export interface WrapHeader {
  readonly flags: number;
  /** Extra count: filler bytes after the plaintext. */
  readonly ec: number;
  /** Right rotation count applied to everything after the header [RFC 4121 §4.2.5]. */
  readonly rrc: number;
  readonly sndSeq: bigint;
}

const FILLER = 0xff;
const UINT64_MASK = (1n << 64n) - 1n;

export function encodeWrapHeader(header: WrapHeader): Buffer {
  const out = Buffer.alloc(TOKEN_HEADER_LENGTH);
  out.writeUInt16BE(PerMessageTokId.wrap, 0);
  out[2] = header.flags;
  out[3] = FILLER;
  out.writeUInt16BE(header.ec, 4);
  out.writeUInt16BE(header.rrc, 6);
  out.writeBigUInt64BE(header.sndSeq & UINT64_MASK, 8);
  return out;
}

/** Reads the header of a Wrap token; throws MessageSecurityError when it is not one. */
export function parseWrapHeader(token: Buffer): WrapHeader {
  if (token.length < TOKEN_HEADER_LENGTH) throw new MessageSecurityError('Kerberos wrap token is truncated');
  if (token.readUInt16BE(0) !== PerMessageTokId.wrap) throw new MessageSecurityError('not a Kerberos wrap token (TOK_ID)');
  if (token[3] !== FILLER) throw new MessageSecurityError('Kerberos wrap token filler is not FF');
  return { flags: token[2] ?? 0, ec: token.readUInt16BE(4), rrc: token.readUInt16BE(6), sndSeq: token.readBigUInt64BE(8) };
}

/** parseWrapHeader of a token held in pieces (the MIME part's header and data). */
export function parseWrapHeaderOf(token: BytePieces): WrapHeader {
  return parseWrapHeader(bufferOfPieces(token, 0, Math.min(TOKEN_HEADER_LENGTH, piecesLength(token))));
}

export interface SealParams {
  readonly enctype: PiecewiseEncryptionType;
  readonly key: Buffer;
  readonly usage: number;
  readonly flags: number;
  readonly sndSeq: bigint;
  readonly rrc: number;
  readonly plaintext: Buffer;
}

/**
 * A Wrap token with confidentiality and EC = 0 [RFC 4121 §4.2.4]:
 * `header(RRC) ‖ rotate_right(E(key, usage, plaintext ‖ header(RRC = 0)), RRC)`, as pieces whose
 * concatenation is the token (byte-pieces.ts): the ciphertext is made once and never copied again.
 * EC stays 0 because the AES enctypes need no padding (CTS) and Windows and MIT both send 0.
 */
export function sealWrapToken(params: SealParams): Uint8Array[] {
  const header = { flags: params.flags | TokenFlags.sealed, ec: 0, rrc: 0, sndSeq: params.sndSeq };
  const { ciphertext, mac } = params.enctype.encryptPieces(params.key, params.usage, [params.plaintext, encodeWrapHeader(header)]);
  return [encodeWrapHeader({ ...header, rrc: params.rrc }), ...rotatePiecesRight([ciphertext, mac], params.rrc)];
}

export interface UnsealParams {
  readonly enctype: PiecewiseEncryptionType;
  readonly key: Buffer;
  readonly usage: number;
  /** The token, in pieces whose concatenation is the token (the MIME part's header and data). */
  readonly token: BytePieces;
}

/**
 * Opens a sealed Wrap token. The rotation is undone by RRC + EC first, then by RRC alone:
 * Windows rotates by RRC + EC for AES [MS-KILE 3.4.5.4.1], RFC 4121 senders by RRC (the same
 * when EC = 0). Then the encrypted header copy must equal the outer header [RFC 4121 §4.2.4]
 * except for RRC, which senders set to 0 there but receivers (MIT, Heimdal) do not check.
 * Throws MessageSecurityError on any failure.
 */
export function unsealWrapToken(params: UnsealParams): { readonly header: WrapHeader; readonly plaintext: Buffer } {
  const length = piecesLength(params.token);
  const header = parseWrapHeaderOf(params.token);
  if ((header.flags & TokenFlags.sealed) === 0) throw new MessageSecurityError('Kerberos wrap token is not sealed');
  const rotated = slicePieces(params.token, TOKEN_HEADER_LENGTH, length);
  const rotatedLength = length - TOKEN_HEADER_LENGTH;
  if (rotatedLength === 0) throw new MessageSecurityError('Kerberos wrap token has no encrypted data');
  const rotations = [...new Set([(header.rrc + header.ec) % rotatedLength, header.rrc % rotatedLength])];
  let decrypted: Buffer | undefined;
  for (const rotation of rotations) {
    // Undoing a left rotation by r is rotating right by length - r.
    decrypted = tryDecrypt(params, rotatePiecesRight(rotated, rotatedLength - rotation), rotatedLength);
    if (decrypted !== undefined) break;
  }
  if (decrypted === undefined) throw new MessageSecurityError('Kerberos wrap token failed its integrity check');
  const plaintextLength = decrypted.length - TOKEN_HEADER_LENGTH - header.ec;
  if (plaintextLength < 0) throw new MessageSecurityError('Kerberos wrap token is shorter than its EC');
  // RRC is the one unprotected field: compare the copy with it ignored, as MIT and Heimdal do.
  const copy = parseWrapHeader(decrypted.subarray(decrypted.length - TOKEN_HEADER_LENGTH));
  if (copy.flags !== header.flags || copy.ec !== header.ec || copy.sndSeq !== header.sndSeq) {
    throw new MessageSecurityError('Kerberos wrap token header was altered');
  }
  return { header, plaintext: decrypted.subarray(0, plaintextLength) };
}

/** E = ciphertext ‖ MAC in pieces; undefined when it does not verify (or is too short to). */
function tryDecrypt(params: UnsealParams, encrypted: BytePieces, length: number): Buffer | undefined {
  const macStart = length - params.enctype.checksumLength;
  if (macStart < 0) return undefined;
  try {
    return params.enctype.decryptPieces(params.key, params.usage, slicePieces(encrypted, 0, macStart), bufferOfPieces(encrypted, macStart, length));
  } catch {
    // KerberosCryptoError in practice; whatever it is, the token does not verify.
    return undefined;
  }
}
