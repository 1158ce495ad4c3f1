/**
 * [MS-XCA] 2.2 LZ77+Huffman ("Xpress Huffman") decompression of one block stream, written from the
 * specification's description of the algorithm. Pure and defensive: every read is bounds-checked,
 * the output never grows past the size the caller expects, and a stream that does not decode to
 * exactly that size is an error, never a partial result.
 *
 * Layout: for each 65536 bytes of output, a 256-byte table of 4-bit code lengths (symbol 2n in the
 * low nibble of byte n, 2n+1 in the high nibble) for 512 symbols, then a bit stream read as 16-bit
 * little-endian words, most significant bit first, with the extra length bytes of long matches
 * interleaved at the byte position the stream has reached.
 */

export class XpressError extends Error {
  override readonly name = 'XpressError';
}

const SYMBOLS = 512;
const TABLE_BYTES = 256;
const MAX_CODE_BITS = 15;
const BLOCK_OUTPUT = 65536;
/** A decoding-table entry no code reaches (an incomplete code): decoding it is an error. */
const UNUSED = 0xffff;

interface DecodingTable {
  /** Symbol for each 15-bit prefix. */
  readonly symbols: Uint16Array;
  /** Code length of each symbol. */
  readonly lengths: Uint8Array;
}

/** The canonical Huffman code of a block: codes assigned by (length, symbol), as [MS-XCA] 2.2.4 says. */
function buildTable(input: Uint8Array, at: number): DecodingTable {
  if (at + TABLE_BYTES > input.length) throw new XpressError('truncated Huffman table');
  const lengths = new Uint8Array(SYMBOLS);
  for (let i = 0; i < TABLE_BYTES; i++) {
    const byte = input[at + i] ?? 0;
    lengths[2 * i] = byte & 0x0f;
    lengths[2 * i + 1] = byte >> 4;
  }
  const symbols = new Uint16Array(1 << MAX_CODE_BITS).fill(UNUSED);
  let next = 0;
  for (let bits = 1; bits <= MAX_CODE_BITS; bits++) {
    const span = 1 << (MAX_CODE_BITS - bits);
    for (let symbol = 0; symbol < SYMBOLS; symbol++) {
      if (lengths[symbol] !== bits) continue;
      if (next + span > symbols.length) throw new XpressError('over-subscribed Huffman code');
      symbols.fill(symbol, next, next + span);
      next += span;
    }
  }
  if (next === 0) throw new XpressError('empty Huffman code');
  return { symbols, lengths };
}

/** The bit reader of [MS-XCA] 2.2.4: 32 bits of look-ahead, refilled 16 bits at a time. */
class BitStream {
  private bits = 0;
  private extra = 16;

  constructor(
    private readonly input: Uint8Array,
    public position: number,
  ) {
    this.bits = ((this.word() << 16) | this.word()) >>> 0;
  }

  /** The next `count` bits (1..15), not consumed. */
  peek(count: number): number {
    return this.bits >>> (32 - count);
  }

  skip(count: number): void {
    if (count === 0) return;
    this.bits = (this.bits << count) >>> 0;
    this.extra -= count;
    if (this.extra < 0) {
      this.bits = (this.bits | (this.word() << -this.extra)) >>> 0;
      this.extra += 16;
    }
  }

  byte(): number {
    const value = this.input[this.position];
    if (value === undefined) throw new XpressError('truncated match length');
    this.position += 1;
    return value;
  }

  uint16(): number {
    return this.byte() | (this.byte() << 8);
  }

  uint32(): number {
    return (this.uint16() | (this.uint16() << 16)) >>> 0;
  }

  /** A 16-bit word of the bit stream; past the end it reads as zero (the encoder's padding), checked by the caller's size. */
  private word(): number {
    const low = this.input[this.position] ?? 0;
    const high = this.input[this.position + 1] ?? 0;
    this.position += 2;
    return low | (high << 8);
  }
}

/** Decompresses `input` into exactly `outputSize` bytes (at most `limit`), or throws XpressError. */
export function decompressXpressHuffman(input: Uint8Array, outputSize: number, limit = 1 << 20): Buffer {
  if (!Number.isInteger(outputSize) || outputSize < 0 || outputSize > limit) throw new XpressError(`output size ${outputSize} out of bounds`);
  const output = Buffer.alloc(outputSize);
  let written = 0;
  let position = 0;
  while (written < outputSize) {
    const table = buildTable(input, position);
    const stream = new BitStream(input, position + TABLE_BYTES);
    const blockEnd = Math.min(written + BLOCK_OUTPUT, outputSize);
    while (written < blockEnd) {
      const symbol = table.symbols[stream.peek(MAX_CODE_BITS)] ?? UNUSED;
      if (symbol === UNUSED) throw new XpressError('a code the table does not define');
      stream.skip(table.lengths[symbol] ?? 0);
      if (symbol < 256) {
        output[written++] = symbol;
        continue;
      }
      const match = symbol - 256;
      let length = match & 0x0f;
      const offsetBits = match >> 4;
      if (length === 15) {
        length = stream.byte();
        if (length === 255) {
          length = stream.uint16();
          if (length === 0) length = stream.uint32();
          if (length < 15) throw new XpressError('invalid match length');
          length -= 15;
        }
        length += 15;
      }
      length += 3;
      const offset = (offsetBits === 0 ? 0 : stream.peek(offsetBits)) + (1 << offsetBits);
      stream.skip(offsetBits);
      if (offset > written) throw new XpressError('match before the start of the output');
      if (length > outputSize - written) throw new XpressError('match past the expected size');
      // Byte by byte: a match may overlap the bytes it produces (offset < length).
      for (let i = 0; i < length; i++, written++) output[written] = output[written - offset] ?? 0;
    }
    if (stream.position > input.length + 4) throw new XpressError('truncated bit stream');
    position = stream.position;
  }
  return output;
}
