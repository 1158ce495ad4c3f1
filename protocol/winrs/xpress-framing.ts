/**
 * WinRM's `xpress` stream compression ([MS-WSMV] rsp:CompressionType): a stream's bytes travel
 * as chunks of at most 64 KiB, each behind a 4-byte header of two little-endian 16-bit values,
 * the original size minus one and the compressed size minus one (the "minus one" is a quirk of the
 * wire format that Microsoft's own PowerShell/psl-omi-provider src/BufferManipulation.c compensates
 * for). Equal sizes mean the chunk is stored as it is; a smaller compressed size means [MS-XCA]
 * LZ77+Huffman data. We decompress both, and compress by storing, which every reader accepts.
 */
import { decompressXpressHuffman, XpressError } from './xpress-huffman.js';

const HEADER_BYTES = 4;
const MAX_CHUNK = 65536;

/** Every chunk of a compressed stream payload, decoded and joined; at most `limit` bytes. */
export function decodeXpressStream(payload: Uint8Array, limit: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  let at = 0;
  while (at < payload.length) {
    if (at + HEADER_BYTES > payload.length) throw new XpressError('truncated chunk header');
    const originalSize = (payload[at] ?? 0) + ((payload[at + 1] ?? 0) << 8) + 1;
    const compressedSize = (payload[at + 2] ?? 0) + ((payload[at + 3] ?? 0) << 8) + 1;
    at += HEADER_BYTES;
    if (at + compressedSize > payload.length) throw new XpressError('truncated chunk');
    if (compressedSize > originalSize) throw new XpressError('a chunk larger compressed than stored');
    if (total + originalSize > limit) throw new XpressError(`stream larger than ${limit} bytes`);
    const data = payload.subarray(at, at + compressedSize);
    parts.push(compressedSize === originalSize ? Buffer.from(data) : decompressXpressHuffman(data, originalSize, MAX_CHUNK));
    total += originalSize;
    at += compressedSize;
  }
  return Buffer.concat(parts, total);
}

/** A stream payload in the framing, every chunk stored (original size = compressed size). */
export function encodeXpressStream(data: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += MAX_CHUNK) {
    const chunk = data.subarray(at, Math.min(at + MAX_CHUNK, data.length));
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt16LE(chunk.length - 1, 0);
    header.writeUInt16LE(chunk.length - 1, 2);
    parts.push(header, Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

export { XpressError };
