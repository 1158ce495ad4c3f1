import { describe, expect, it } from 'vitest';
import { WsmanFault } from '../../../protocol/wsman/fault.js';
import type { FaultName } from '../../../protocol/wsman/fault-catalogue.js';
import { decodeSoapBody, encodeSoapReply, type BodyCharset } from '../../../server/request-text.js';

const XML = '<s:Envelope>Grüße — ✓ 𝄞</s:Envelope>';
/** Tab, line ends and printable ASCII: every byte XML allows. */
const ASCII_XML = '<s:Envelope>\r\n\t<s:Body>QUJD+/==</s:Body>\n</s:Envelope>';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);

function faultOf(run: () => unknown): FaultName {
  try {
    run();
  } catch (error) {
    if (error instanceof WsmanFault) return error.fault;
    throw error;
  }
  throw new Error('expected a WsmanFault');
}

describe('decodeSoapBody', () => {
  it.each<[string, Buffer, string, BodyCharset]>([
    ['UTF-8 declared', Buffer.from(XML), 'application/soap+xml;charset=UTF-8', 'utf-8'],
    ['UTF-8 declared in quotes with spaces', Buffer.from(XML), 'application/soap+xml; charset = "utf-8"', 'utf-8'],
    ['utf8 spelled without the dash', Buffer.from(XML), 'application/soap+xml;charset=utf8', 'utf-8'],
    ['no charset (UTF-8 by default)', Buffer.from(XML), 'application/soap+xml', 'utf-8'],
    ['no Content-Type at all', Buffer.from(XML), '', 'utf-8'],
    ['a UTF-8 byte-order mark', Buffer.concat([BOM_UTF8, Buffer.from(XML)]), 'application/soap+xml;charset=UTF-8', 'utf-8'],
    ['UTF-16LE with its BOM', Buffer.concat([BOM_LE, Buffer.from(XML, 'utf16le')]), 'application/soap+xml;charset=UTF-16', 'utf-16le'],
    ['UTF-16BE with its BOM', Buffer.concat([BOM_BE, utf16be(XML)]), 'application/soap+xml;charset=UTF-16', 'utf-16be'],
    ['a BOM that disagrees with the charset', Buffer.concat([BOM_LE, Buffer.from(XML, 'utf16le')]), 'application/soap+xml;charset=UTF-8', 'utf-16le'],
    ['charset=UTF-16 without a BOM (little-endian, as Windows sends)', Buffer.from(XML, 'utf16le'), 'application/soap+xml;charset=UTF-16', 'utf-16le'],
    ['charset=utf-16le without a BOM', Buffer.from(XML, 'utf16le'), 'application/soap+xml;charset=utf-16le', 'utf-16le'],
    ['charset=UTF-16BE without a BOM', utf16be(XML), 'application/soap+xml;charset=UTF-16BE', 'utf-16be'],
  ])('decodes %s', (_label, body, contentType, charset) => {
    // Not ASCII: decoded as text, whose characters the parser then tests.
    expect(decodeSoapBody(body, contentType)).toEqual({ text: XML, charset, charactersChecked: false });
  });

  it('decodes an empty body as empty text', () => {
    expect(decodeSoapBody(Buffer.alloc(0), 'application/soap+xml;charset=UTF-8')).toEqual({ text: '', charset: 'utf-8', charactersChecked: true });
  });

  it.each<[string, Buffer]>([
    ['plain ASCII', Buffer.from(ASCII_XML)],
    ['ASCII after a UTF-8 byte-order mark', Buffer.concat([BOM_UTF8, Buffer.from(ASCII_XML)])],
  ])('takes %s as text whose characters are already checked', (_label, body) => {
    expect(decodeSoapBody(body, 'application/soap+xml;charset=UTF-8')).toEqual({ text: ASCII_XML, charset: 'utf-8', charactersChecked: true });
  });

  it.each([0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1f])('leaves ASCII with control byte %i to the parser, unchecked', (byte) => {
    const body = Buffer.from(ASCII_XML);
    body[10] = byte;
    expect(decodeSoapBody(body, 'application/soap+xml;charset=UTF-8')).toEqual({ text: body.toString('latin1'), charset: 'utf-8', charactersChecked: false });
  });

  it('does not take UTF-16 whose bytes are all printable ASCII as checked ASCII', () => {
    // U+4141 U+4242: in UTF-16LE the bytes of 'AABB', no NUL among them.
    const body = Buffer.from('\u4141\u4242', 'utf16le');
    expect(decodeSoapBody(body, 'application/soap+xml;charset=UTF-16')).toEqual({ text: '\u4141\u4242', charset: 'utf-16le', charactersChecked: false });
  });

  it.each(['iso-8859-1', 'windows-1252', 'us-ascii', 'utf-32', 'ebcdic'])('refuses charset=%s as an unsupported encoding', (charset) => {
    expect(faultOf(() => decodeSoapBody(Buffer.from(XML), `application/soap+xml;charset=${charset}`))).toBe('unsupportedEncoding');
  });

  it('reports the unsupported encoding with Windows’ code', () => {
    try {
      decodeSoapBody(Buffer.from('x'), 'text/xml; charset=latin1');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WsmanFault);
      if (error instanceof WsmanFault) expect(error.spec).toMatchObject({ subcode: 'w:UnsupportedEncoding', wsmanCode: 2150858796 });
    }
  });

  it.each<[string, Buffer, string]>([
    ['a lone continuation byte', Buffer.from([0x3c, 0x61, 0x80, 0x3e]), 'charset=UTF-8'],
    ['a truncated two-byte sequence', Buffer.from([0x3c, 0xc3]), 'charset=UTF-8'],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), 'charset=UTF-8'],
    ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80]), 'charset=UTF-8'],
    ['latin1 bytes sent as UTF-8', Buffer.from('<a>Grüße</a>', 'latin1'), 'charset=UTF-8'],
    ['latin1 bytes without a charset', Buffer.from('<a>é</a>', 'latin1'), ''],
    ['an odd number of UTF-16 bytes', Buffer.concat([BOM_LE, Buffer.from([0x3c, 0x00, 0x61])]), 'charset=UTF-16'],
    ['a lone UTF-16 surrogate', Buffer.concat([BOM_LE, Buffer.from([0x00, 0xd8, 0x41, 0x00])]), 'charset=UTF-16'],
  ])('refuses %s as invalid XML', (_label, body, contentType) => {
    expect(faultOf(() => decodeSoapBody(body, `application/soap+xml;${contentType}`))).toBe('invalidXml');
  });
});

describe('encodeSoapReply', () => {
  it('answers UTF-8 with UTF-8', () => {
    const reply = encodeSoapReply(XML, 'utf-8');
    expect(reply.contentType).toBe('application/soap+xml;charset=UTF-8');
    expect(reply.body.equals(Buffer.from(XML, 'utf8'))).toBe(true);
  });

  it.each<BodyCharset>(['utf-16le', 'utf-16be'])('answers %s with UTF-16LE and a BOM', (charset) => {
    const reply = encodeSoapReply(XML, charset);
    expect(reply.contentType).toBe('application/soap+xml;charset=UTF-16');
    expect([...reply.body.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(reply.body.subarray(2).toString('utf16le')).toBe(XML);
  });

  it.each<BodyCharset>(['utf-8', 'utf-16le', 'utf-16be'])('round-trips through decodeSoapBody (%s)', (charset) => {
    const reply = encodeSoapReply(XML, charset);
    expect(decodeSoapBody(reply.body, reply.contentType).text).toBe(XML);
  });
});
