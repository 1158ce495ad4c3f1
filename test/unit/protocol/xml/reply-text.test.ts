import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReplyText, utf8Length } from '../../../../protocol/xml/reply-text.js';
import { writeEnvelope, writeEnvelopeText } from '../../../../protocol/wsman/response.js';

describe('ReplyText', () => {
  it('writes the same bytes, length and byte length as the string it stands for', () => {
    for (let size = 0; size < 40; size++) {
      const data = randomBytes(size);
      // Non-ASCII text around the base64, so UTF-8 and UTF-16 lengths differ.
      const text = ReplyText.join(['<é attr="ü">', ReplyText.base64(data), '</é>€', ReplyText.join(['😀', ReplyText.base64(data.subarray(1))])]);
      const expected = `<é attr="ü">${data.toString('base64')}</é>€😀${data.subarray(1).toString('base64')}`;
      expect(text.toString()).toBe(expected);
      expect(text.toUtf8().equals(Buffer.from(expected, 'utf8'))).toBe(true);
      expect(text.length).toBe(expected.length);
      expect(text.byteLength()).toBe(Buffer.byteLength(expected));
      expect(utf8Length(text)).toBe(Buffer.byteLength(expected));
    }
  });

  it('encodes base64 longer than one encoding piece without padding between the pieces', () => {
    // Around the 12 KB piece size and its multiples, with lengths that do and do not divide by 3.
    for (const size of [12 * 1024 - 1, 12 * 1024, 12 * 1024 + 1, 12 * 1024 + 2, 3 * 12 * 1024 + 5, 375_001]) {
      const data = randomBytes(size);
      const text = ReplyText.join(['<b>', ReplyText.base64(data), '</b>']);
      expect(text.toUtf8().toString('latin1')).toBe(`<b>${data.toString('base64')}</b>`);
    }
  });

  it('wraps a body in the same envelope as the string writer, base64 kept as bytes or not', () => {
    const data = randomBytes(1000);
    const header = { action: 'x', messageId: 'uuid:1', relatesTo: 'uuid:2', lang: 'en-US' };
    const text = writeEnvelopeText(header, ReplyText.join(['<b>', ReplyText.base64(data), '</b>']));
    expect(typeof text).not.toBe('string');
    expect(text.toString()).toBe(writeEnvelope(header, `<b>${data.toString('base64')}</b>`));
    expect(writeEnvelopeText(header, '<b/>')).toBe(writeEnvelope(header, '<b/>'));
  });
});
