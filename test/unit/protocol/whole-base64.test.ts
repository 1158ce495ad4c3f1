import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeWholeBase64, decodeWholeBase64Bytes } from '../../../protocol/whole-base64.js';

describe('decodeWholeBase64', () => {
  it('decodes padded base64 of every length remainder exactly as Buffer.from does', () => {
    for (let size = 0; size < 64; size++) {
      const data = randomBytes(size);
      expect(decodeWholeBase64(data.toString('base64'))?.equals(data)).toBe(true);
    }
  });

  it.each([
    ['whitespace (left to the pattern check)', 'QUJD\nREVG'],
    ['a character the decoder skips', 'QU!D'],
    ['padding in the middle', 'QQ==QUJD'],
    ['an early padding character', 'QQ=A'],
    ['base64url characters, which Node would decode as + and /', 'a-b_'],
    ['a non-ASCII letter', 'QUJé'],
    ['no padding', 'QUJDRA'],
  ])('leaves %s to the strict check', (_name, text) => {
    expect(decodeWholeBase64(text)).toBeUndefined();
  });
});

describe('decodeWholeBase64Bytes', () => {
  it('decodes base64 still in bytes, across its pieces and every padding, as Buffer.from does', () => {
    for (const size of [0, 1, 2, 3, 36_863, 36_864, 36_865, 100_000, 300_001]) {
      const data = randomBytes(size);
      expect(decodeWholeBase64Bytes(Buffer.from(data.toString('base64')))?.equals(data)).toBe(true);
    }
  });

  it('leaves to the general path what it cannot prove is whole base64', () => {
    const good = randomBytes(100_000).toString('base64');
    for (const text of [`${good.slice(0, 60_000)}*${good.slice(60_001)}`, `${good.slice(0, 60_000)}====${good.slice(60_004)}`, `a-b_${good.slice(4)}`, `${good}\n`, good.slice(1)]) {
      expect(decodeWholeBase64Bytes(Buffer.from(text))).toBeUndefined();
    }
  });
});
