import { describe, expect, it } from 'vitest';
import { Rc4 } from '../../../../auth/ntlm/rc4.js';
import { xorBytes } from '../../../../auth/ntlm/xor-bytes.js';
import { prng } from '../../../support/prng.js';

describe('RC4 key stream made ahead (Rc4.prepare)', () => {
  it('gives exactly the bytes of a handle that never prepares, whatever the sizes, views and order', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = prng(seed);
      const key = random.bytes(16);
      const plain = new Rc4(key);
      const ahead = new Rc4(key);
      for (let step = 0; step < 40; step++) {
        if (random.int(3) === 0) ahead.prepare(random.int(3) === 0 ? 70_000 + random.int(5000) : random.int(4000));
        const length = random.int(4) === 0 ? 65_536 + random.int(9000) : random.int(3000);
        // Views at every alignment, for the message and for the output.
        const dataAt = random.int(4);
        const data = random.bytes(length + 8).subarray(dataAt, dataAt + length);
        const expected = plain.process(data);
        const inPlace = random.int(4) === 0;
        const outAt = random.int(4);
        const out = inPlace ? Buffer.from(data) : Buffer.alloc(length + 8).subarray(outAt, outAt + length);
        const got = ahead.process(inPlace ? out : data, out);
        expect(got.equals(expected), `seed ${seed}, step ${step}, length ${length}`).toBe(true);
      }
    }
  });

  it('ignores a size that is not a number, and still encrypts every byte', () => {
    const { ahead, sameAsPlain } = twins('0123456789abcdef');
    for (const bytes of [Number.NaN, Number.POSITIVE_INFINITY, -5, 0]) ahead.prepare(bytes);
    sameAsPlain(Buffer.alloc(5000, 9));
  });

  it('stays right when a small message of odd length uses part of the stream before a large one', () => {
    const { ahead, sameAsPlain } = twins('fedcba9876543210');
    for (const small of [1501, 1502, 1503, 1504]) {
      ahead.prepare(small + 80_000);
      sameAsPlain(Buffer.alloc(small, small & 0xff));
      sameAsPlain(Buffer.alloc(80_000, 0x5a));
    }
  });

  it('changes nothing in the stream when asked for less than it already holds', () => {
    const { ahead, sameAsPlain } = twins('0123456789abcdef');
    ahead.prepare(1000);
    ahead.prepare(10);
    sameAsPlain(Buffer.alloc(3000, 7));
  });
});

/** Two handles on one key: `ahead` for the test to prepare, and a check against one that never does. */
function twins(key: string): { ahead: Rc4; sameAsPlain: (data: Buffer) => void } {
  const plain = new Rc4(Buffer.from(key));
  const ahead = new Rc4(Buffer.from(key));
  return {
    ahead,
    sameAsPlain: (data) => {
      expect(ahead.process(data)).toEqual(plain.process(data));
    },
  };
}

describe('xorBytes', () => {
  it('XORs at every relative alignment of message, key stream and output', () => {
    const random = prng(99);
    for (let a = 0; a < 4; a++) {
      for (let k = 0; k < 4; k++) {
        for (let o = 0; o < 4; o++) {
          const length = 100 + random.int(100);
          const data = random.bytes(length + 4).subarray(a, a + length);
          const keyStream = random.bytes(length + 4).subarray(k, k + length);
          const out = Buffer.alloc(length + 4).subarray(o, o + length);
          xorBytes(data, keyStream, out, length);
          const expected = Buffer.from(data.map((byte, i) => byte ^ (keyStream[i] ?? 0)));
          expect(out.equals(expected), `offsets ${a} ${k} ${o}`).toBe(true);
        }
      }
    }
  });
});
