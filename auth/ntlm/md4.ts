/**
 * MD4 message digest (RFC 1320), needed only for NTOWFv1 (MS-NLMP 3.3.1). Node's OpenSSL 3 build
 * keeps MD4 in the legacy provider and refuses it, so it is written out here. Not for new designs:
 * MD4 is broken as a general hash; NTLM uses it only to turn a password into the account's key.
 */

const INITIAL_STATE = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476] as const;

/** Round 2 and round 3 additive constants (RFC 1320 §3.4): sqrt(2) and sqrt(3) scaled by 2^30. */
const ROUND2_CONSTANT = 0x5a827999;
const ROUND3_CONSTANT = 0x6ed9eba1;

/** Per-round shift amounts, repeated every four steps (RFC 1320 §3.4). */
const ROUND1_SHIFTS = [3, 7, 11, 19] as const;
const ROUND2_SHIFTS = [3, 5, 9, 13] as const;
const ROUND3_SHIFTS = [3, 9, 11, 15] as const;

/** Order in which round 3 visits the sixteen words of a block. */
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;

function rotateLeft(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}

/** Appends 0x80, zeros to 56 mod 64, then the bit length as a 64-bit little-endian integer (RFC 1320 §3.1–3.2). */
function pad(message: Buffer): Buffer {
  const paddedLength = (Math.floor((message.length + 8) / 64) + 1) * 64;
  const padded = Buffer.alloc(paddedLength);
  message.copy(padded);
  padded[message.length] = 0x80;
  padded.writeBigUInt64LE(BigInt(message.length) * 8n, paddedLength - 8);
  return padded;
}

/** Returns the 16-byte MD4 digest of `message`. */
export function md4(message: Buffer): Buffer {
  const state: [number, number, number, number] = [...INITIAL_STATE];
  const padded = pad(message);
  const words = new Uint32Array(16);

  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) words[i] = padded.readUInt32LE(offset + i * 4);
    const word = (i: number): number => words[i] ?? 0;
    let [a, b, c, d] = state;

    // Each step updates one register then rotates the roles (a, b, c, d) → (d, a, b, c).
    const step = (mix: number, shift: number): void => {
      const next = rotateLeft((a + mix) >>> 0, shift);
      a = d;
      d = c;
      c = b;
      b = next;
    };

    for (let i = 0; i < 16; i++) {
      const f = (b & c) | (~b & d);
      step((f + word(i)) >>> 0, ROUND1_SHIFTS[i % 4] ?? 0);
    }
    for (let i = 0; i < 16; i++) {
      const g = (b & c) | (b & d) | (c & d);
      const index = (i % 4) * 4 + Math.floor(i / 4);
      step((g + word(index) + ROUND2_CONSTANT) >>> 0, ROUND2_SHIFTS[i % 4] ?? 0);
    }
    for (let i = 0; i < 16; i++) {
      const h = b ^ c ^ d;
      step((h + word(ROUND3_ORDER[i] ?? 0) + ROUND3_CONSTANT) >>> 0, ROUND3_SHIFTS[i % 4] ?? 0);
    }

    state[0] = (state[0] + a) >>> 0;
    state[1] = (state[1] + b) >>> 0;
    state[2] = (state[2] + c) >>> 0;
    state[3] = (state[3] + d) >>> 0;
  }

  const digest = Buffer.alloc(16);
  state.forEach((value, i) => digest.writeUInt32LE(value, i * 4));
  return digest;
}
