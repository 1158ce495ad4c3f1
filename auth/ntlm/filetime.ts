import { NtlmMessageError } from './wire.js';

/**
 * FILETIME (MS-DTYP 2.3.3) as NTLM carries it in MsvAvTimestamp and the NTLMv2 client challenge:
 * an unsigned 64-bit little-endian count of 100 ns intervals since 1601-01-01T00:00:00Z.
 */

/** Milliseconds between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFFERENCE_MS = 11_644_473_600_000n;
const TICKS_PER_MS = 10_000n;

/** Encodes a date as an 8-byte FILETIME; dates before 1601 clamp to zero. */
export function encodeFileTime(date: Date): Buffer {
  const ticks = (BigInt(Math.trunc(date.getTime())) + EPOCH_DIFFERENCE_MS) * TICKS_PER_MS;
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ticks > 0n ? ticks : 0n);
  return bytes;
}

/** Decodes an 8-byte FILETIME to milliseconds since the Unix epoch (may be far outside Date's range). */
export function fileTimeToUnixMs(bytes: Buffer): number {
  if (bytes.length !== 8) throw new NtlmMessageError('FILETIME must be 8 bytes');
  const ticks = bytes.readBigUInt64LE(0);
  return Number(ticks / TICKS_PER_MS - EPOCH_DIFFERENCE_MS);
}
