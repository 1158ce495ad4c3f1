/**
 * The n-fold operation of RFC 3961 section 5.1, which stretches or shrinks a constant (such as a key
 * usage number followed by 0x99/0xAA/0x55, or "kerberos") to the cipher's block size before it is
 * encrypted by DR (derive-key.ts).
 *
 * Definition: replicate the input to the least common multiple of its length and the output length,
 * copy i rotated right by 13·i bits (the input seen as one bit string); split that into output-sized
 * chunks and add them as big-endian numbers with one's-complement (end-around carry) addition.
 */

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Bit `index` (0 = most significant bit of byte 0) of `input`. */
function bitAt(input: Buffer, index: number): number {
  return ((input[index >>> 3] ?? 0) >>> (7 - (index & 7))) & 1;
}

/**
 * RFC 3961 5.1 n-fold of `input` to `outputBits` bits (a positive multiple of 8). The inputs are
 * short protocol constants, so it works bit by bit for clarity rather than speed.
 */
export function nfold(input: Buffer, outputBits: number): Buffer {
  if (!Number.isInteger(outputBits) || outputBits <= 0 || outputBits % 8 !== 0) {
    throw new RangeError('n-fold output size must be a positive multiple of 8 bits');
  }
  if (input.length === 0) throw new RangeError('n-fold input must not be empty');
  const outBytes = outputBits / 8;
  const inBytes = input.length;
  const inBits = inBytes * 8;
  const copies = outBytes / gcd(inBytes, outBytes); // lcm(inBytes, outBytes) / inBytes
  // Column sums; one's-complement addition is associative, so the carries can be resolved at the end.
  const sums = new Array<number>(outBytes).fill(0);
  for (let copy = 0; copy < copies; copy++) {
    const rotation = (13 * copy) % inBits;
    for (let b = 0; b < inBytes; b++) {
      let byte = 0;
      for (let k = 0; k < 8; k++) {
        // Rotating right by r moves bit j - r to position j.
        const source = (b * 8 + k - rotation + inBits) % inBits;
        byte = (byte << 1) | bitAt(input, source);
      }
      const column = (copy * inBytes + b) % outBytes;
      sums[column] = (sums[column] ?? 0) + byte;
    }
  }
  // Propagate carries from the least significant byte up; a carry out of the top wraps around.
  let carry = 0;
  do {
    for (let i = outBytes - 1; i >= 0; i--) {
      const value = (sums[i] ?? 0) + carry;
      sums[i] = value & 0xff;
      carry = value >>> 8;
    }
  } while (carry !== 0);
  return Buffer.from(sums);
}
