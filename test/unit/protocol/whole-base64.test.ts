import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeWholeBase64 } from '../../../protocol/whole-base64.js';

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
