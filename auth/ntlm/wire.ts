/**
 * Bounds-checked reading and writing of the pieces shared by all NTLM messages (MS-NLMP 2.2):
 * the signature and type header, the 8-byte payload field descriptors, the VERSION structure.
 * Every read checks its bounds first and throws NtlmMessageError, never RangeError.
 */

/** Malformed or unexpected NTLM input. The only error the NTLM parsers throw. */
export class NtlmMessageError extends Error {
  override readonly name = 'NtlmMessageError';
}

/** The 8-byte signature every NTLM message starts with: ASCII "NTLMSSP" and a NUL. */
export const NTLMSSP_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** MessageType values (MS-NLMP 2.2). */
export const MessageType = {
  NtLmNegotiate: 1,
  NtLmChallenge: 2,
  NtLmAuthenticate: 3,
} as const;

export function readUInt8(buffer: Buffer, offset: number, what: string): number {
  if (offset < 0 || offset + 1 > buffer.length) throw new NtlmMessageError(`${what} is truncated`);
  return buffer.readUInt8(offset);
}

export function readUInt16(buffer: Buffer, offset: number, what: string): number {
  if (offset < 0 || offset + 2 > buffer.length) throw new NtlmMessageError(`${what} is truncated`);
  return buffer.readUInt16LE(offset);
}

export function readUInt32(buffer: Buffer, offset: number, what: string): number {
  if (offset < 0 || offset + 4 > buffer.length) throw new NtlmMessageError(`${what} is truncated`);
  return buffer.readUInt32LE(offset);
}

export function readBytes(buffer: Buffer, offset: number, length: number, what: string): Buffer {
  if (offset < 0 || length < 0 || offset + length > buffer.length) throw new NtlmMessageError(`${what} is truncated`);
  return buffer.subarray(offset, offset + length);
}

/** Checks the signature and MessageType; returns nothing, throws NtlmMessageError on mismatch. */
export function checkHeader(message: Buffer, expectedType: number, name: string): void {
  if (message.length < 12 || !message.subarray(0, 8).equals(NTLMSSP_SIGNATURE)) {
    throw new NtlmMessageError(`${name}: not an NTLMSSP message`);
  }
  const type = message.readUInt32LE(8);
  if (type !== expectedType) throw new NtlmMessageError(`${name}: expected message type ${expectedType}, got ${type}`);
}

/** A payload field descriptor as read (MS-NLMP 2.2.1.x "…Fields": Len, MaxLen, BufferOffset). */
export interface PayloadField {
  readonly value: Buffer;
  /** Absolute offset of the value in the message; meaningful only when the value is non-empty. */
  readonly offset: number;
}

/**
 * Reads the descriptor at `descriptorOffset` and returns the bytes it points at. MaxLen is
 * ignored as the spec says; an empty field yields an empty value whatever its offset.
 */
export function readPayloadField(message: Buffer, descriptorOffset: number, what: string): PayloadField {
  const length = readUInt16(message, descriptorOffset, `${what} descriptor`);
  const offset = readUInt32(message, descriptorOffset + 4, `${what} descriptor`);
  if (length === 0) return { value: Buffer.alloc(0), offset };
  if (offset + length > message.length) throw new NtlmMessageError(`${what} points outside the message`);
  return { value: message.subarray(offset, offset + length), offset };
}

/** Writes an 8-byte field descriptor (Len, MaxLen = Len, BufferOffset). */
export function writePayloadField(target: Buffer, descriptorOffset: number, length: number, offset: number): void {
  target.writeUInt16LE(length, descriptorOffset);
  target.writeUInt16LE(length, descriptorOffset + 2);
  target.writeUInt32LE(offset, descriptorOffset + 4);
}

/** The VERSION structure (MS-NLMP 2.2.2.10): for debugging only, never used for decisions. */
export interface NtlmVersion {
  readonly productMajorVersion: number;
  readonly productMinorVersion: number;
  readonly productBuild: number;
  readonly ntlmRevisionCurrent: number;
}

/** NTLMSSP_REVISION_W2K3, the only revision current Windows sends. */
export const NTLMSSP_REVISION_W2K3 = 0x0f;

export function encodeVersion(version: NtlmVersion): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt8(version.productMajorVersion, 0);
  bytes.writeUInt8(version.productMinorVersion, 1);
  bytes.writeUInt16LE(version.productBuild, 2);
  bytes.writeUInt8(version.ntlmRevisionCurrent, 7);
  return bytes;
}

export function parseVersion(message: Buffer, offset: number): NtlmVersion {
  const bytes = readBytes(message, offset, 8, 'Version');
  return {
    productMajorVersion: bytes.readUInt8(0),
    productMinorVersion: bytes.readUInt8(1),
    productBuild: bytes.readUInt16LE(2),
    ntlmRevisionCurrent: bytes.readUInt8(7),
  };
}

/**
 * Decodes a text field: UTF-16LE when NTLMSSP_NEGOTIATE_UNICODE was negotiated, otherwise the
 * OEM code page, which is unknown here; Latin-1 keeps every byte and covers ASCII names.
 */
export function decodeText(bytes: Buffer, unicode: boolean, what: string): string {
  if (!unicode) return bytes.toString('latin1');
  if (bytes.length % 2 !== 0) throw new NtlmMessageError(`${what} has an odd UTF-16 length`);
  return bytes.toString('utf16le');
}
