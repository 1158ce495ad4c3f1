import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReplyText, utf8Length } from '../../../../protocol/xml/reply-text.js';
import { writeReceiveResponse, writeReceiveResponseText } from '../../../../protocol/winrs/receive.js';
import { COMMAND_STATE } from '../../../../protocol/winrs/uris.js';
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

  it('makes the same Receive reply and envelope as the string writers', () => {
    const streams = [
      { name: 'stdout', data: randomBytes(1000), end: false },
      { name: 'stderr', data: Buffer.alloc(0), end: true },
    ];
    const state = { state: COMMAND_STATE.done, exitCode: 3 };
    const header = { action: 'x', messageId: 'uuid:1', relatesTo: 'uuid:2', lang: 'en-US' };
    const text = writeEnvelopeText(header, writeReceiveResponseText('C-1', streams, state));
    expect(text.toString()).toBe(writeEnvelope(header, writeReceiveResponse('C-1', streams, state)));
    expect(writeEnvelopeText(header, '<b/>')).toBe(writeEnvelope(header, '<b/>'));
  });
});
