import { describe, expect, it } from 'vitest';
import { decodeXpressStream, encodeXpressStream, XpressError } from '../../../../protocol/winrs/xpress-framing.js';
import { decompressXpressHuffman } from '../../../../protocol/winrs/xpress-huffman.js';
import { seededRandom } from '../xml-query.js';

/** A 256-byte code-length table, zero but for the bytes given. */
function table(nonzero: Readonly<Record<number, number>>): Buffer {
  const t = Buffer.alloc(256);
  for (const [at, value] of Object.entries(nonzero)) t[Number(at)] = value;
  return t;
}

/** [MS-XCA] 3.2, first example: the alphabet as 26 literals and EOF. */
const ALPHABET = Buffer.concat([
  table({ 0x30: 0x50, 0x31: 0x55, 0x32: 0x55, 0x33: 0x55, 0x34: 0x55, 0x35: 0x55, 0x36: 0x55, 0x37: 0x55, 0x38: 0x55, 0x39: 0x55, 0x3a: 0x55, 0x3b: 0x45, 0x3c: 0x44, 0x3d: 0x04, 0x80: 0x04 }),
  Buffer.from('d8523ed794115be9195ff9d67cdf8d0400000000', 'hex'),
]);

/**
 * [MS-XCA] 3.2, second example ("abc" then one match of distance 3), generalised to any size by
 * the length escapes the specification describes: a byte, 0xFF and 16 bits, or 0xFF 0 0 and 32 bits.
 */
function abcStream(size: number): Buffer {
  const length = size - 3;
  let extension: Buffer;
  if (length - 18 < 255) extension = Buffer.from([length - 18]);
  else if (length - 3 <= 0xffff) extension = Buffer.from([0xff, (length - 3) & 0xff, (length - 3) >> 8]);
  else {
    extension = Buffer.alloc(7);
    extension[0] = 0xff;
    extension.writeUInt32LE(length - 3, 3);
  }
  return Buffer.concat([table({ 0x30: 0x30, 0x31: 0x23, 0x80: 0x02, 0x8f: 0x20 }), Buffer.from('a8dc0000', 'hex'), extension]);
}

const abc = (size: number): Buffer => Buffer.from('abc'.repeat(Math.ceil(size / 3)).slice(0, size));

describe('decompressXpressHuffman ([MS-XCA] LZ77+Huffman)', () => {
  it('decodes the specification’s literal example', () => {
    expect(decompressXpressHuffman(ALPHABET, 26).toString()).toBe('abcdefghijklmnopqrstuvwxyz');
  });

  it('decodes the specification’s match example, 300 bytes from one overlapping match', () => {
    const stream = abcStream(300);
    expect(stream.subarray(256).toString('hex')).toBe('a8dc0000ff2601');
    expect(decompressXpressHuffman(stream, 300)).toEqual(abc(300));
  });

  it.each([24, 273, 65535, 65536, 65537, 196608])('decodes a %d-byte match through every length escape and across blocks', (size) => {
    expect(decompressXpressHuffman(abcStream(size), size, 1 << 18).equals(abc(size))).toBe(true);
  });

  it.each([
    ['an output size over the limit', () => decompressXpressHuffman(abcStream(300), 300, 299)],
    ['a negative output size', () => decompressXpressHuffman(ALPHABET, -1)],
    ['a truncated table', () => decompressXpressHuffman(ALPHABET.subarray(0, 200), 26)],
    ['a stream that ends before the expected size', () => decompressXpressHuffman(abcStream(300).subarray(0, 260), 300)],
    ['a match longer than the expected size', () => decompressXpressHuffman(abcStream(300), 200)],
    ['an over-subscribed code', () => decompressXpressHuffman(Buffer.concat([Buffer.alloc(256, 0x11), Buffer.alloc(8)]), 4)],
    ['an empty code', () => decompressXpressHuffman(Buffer.alloc(300), 4)],
  ])('refuses %s', (_label, run) => {
    expect(run).toThrow(XpressError);
  });

  it('refuses a code the table leaves undefined (an incomplete code)', () => {
    const broken = abcStream(300);
    broken[0x30] = 0x31; // 'a' gets length 1: the codes no longer cover what the stream sends
    expect(() => decompressXpressHuffman(broken, 300)).toThrow(XpressError);
  });

  it('refuses a match reaching before the start of the output', () => {
    // One symbol, a match of distance 1 at position 0: sym 256 with a complete 2-symbol code.
    const lengths = table({ 0x80: 0x01, 0x00: 0x01 }); // symbols 0 and 256, one bit each
    expect(() => decompressXpressHuffman(Buffer.concat([lengths, Buffer.from('ffff0000', 'hex')]), 8)).toThrow(XpressError);
  });

  it('never fails other than with XpressError, and never returns a wrong size, on random input', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const input = Buffer.alloc(256 + Math.floor(random() * 600));
      for (let i = 0; i < input.length; i++) input[i] = Math.floor(random() * 256);
      // Mostly short lengths so that some tables are valid codes.
      if (round % 2 === 0) for (let i = 0; i < 256; i++) input[i] = (input[i] ?? 0) & 0x99;
      const size = Math.floor(random() * 2000);
      try {
        expect(decompressXpressHuffman(input, size).length).toBe(size);
      } catch (error) {
        expect(error).toBeInstanceOf(XpressError);
      }
    }
  });
});

describe('the WinRM xpress framing', () => {
  it('stores chunks with sizes minus one, at most 64 KiB each, and reads them back', () => {
    const data = Buffer.alloc(150_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    const framed = encodeXpressStream(data);
    expect(framed.length).toBe(data.length + 3 * 4);
    expect([framed.readUInt16LE(0), framed.readUInt16LE(2)]).toEqual([65535, 65535]);
    expect(decodeXpressStream(framed, 1 << 20).equals(data)).toBe(true);
  });

  it('frames nothing as nothing', () => {
    expect(encodeXpressStream(Buffer.alloc(0)).length).toBe(0);
    expect(decodeXpressStream(Buffer.alloc(0), 10).length).toBe(0);
  });

  it('reads a Huffman chunk in the framing (the specification’s alphabet)', () => {
    const header = Buffer.alloc(4);
    header.writeUInt16LE(26 - 1, 0);
    header.writeUInt16LE(ALPHABET.length - 1, 2);
    // A compressed chunk larger than its output is refused, so shrink the example's table claim:
    // the alphabet example (276 bytes) is larger than its 26 bytes of output, as Windows never sends.
    expect(() => decodeXpressStream(Buffer.concat([header, ALPHABET]), 1000)).toThrow(XpressError);
    const abcChunk = abcStream(300);
    const abcHeader = Buffer.alloc(4);
    abcHeader.writeUInt16LE(300 - 1, 0);
    abcHeader.writeUInt16LE(abcChunk.length - 1, 2);
    expect(decodeXpressStream(Buffer.concat([abcHeader, abcChunk, encodeXpressStream(Buffer.from('!'))]), 1000)).toEqual(Buffer.concat([abc(300), Buffer.from('!')]));
  });

  it.each([
    ['a truncated header', Buffer.from([1, 0, 1])],
    ['a chunk longer than the payload', Buffer.from([9, 0, 9, 0, 1, 2])],
  ])('refuses %s', (_label, payload) => {
    expect(() => decodeXpressStream(payload, 100)).toThrow(XpressError);
  });

  it('refuses a stream larger than the limit before decoding it', () => {
    expect(() => decodeXpressStream(encodeXpressStream(Buffer.alloc(1000)), 999)).toThrow(XpressError);
  });

  it('round-trips random data of random sizes', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 20; round++) {
      const data = Buffer.alloc(Math.floor(random() * 200_000));
      for (let i = 0; i < data.length; i += 97) data[i] = Math.floor(random() * 256);
      expect(decodeXpressStream(encodeXpressStream(data), 1 << 20).equals(data)).toBe(true);
    }
  });
});
