import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { TextDecoder } from 'node:util';

import { findDisallowedControlByte } from '../protocol/xml/control-bytes.js';
import { cutOutStreamContent, restoreCutOut, type CutOutText } from '../protocol/xml/cut-out-text.js';
import { WsmanFault } from '../protocol/wsman/fault.js';
import type { EnvelopeText } from '../protocol/xml/reply-text.js';

export type BodyCharset = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedBody {
  readonly text: string;
  /** Replies go back in the charset the request came in, as Windows answers UTF-16 with UTF-16. */
  readonly charset: BodyCharset;
  /** Every character is one XML allows, as the bytes showed: the parser need not test the text again. */
  readonly charactersChecked: boolean;
  /** A Send's stream content, not in `text` but kept as bytes (protocol/xml/cut-out-text.ts). */
  readonly cutOut?: CutOutText | undefined;
}

/**
 * What stands in a request's text for a Send's cut-out stream content (protocol/xml/cut-out-text.ts):
 * not base64, and drawn at random per process, so that no client can write it into another element.
 */
const CUT_OUT_MARKER = `!cut-out-${randomBytes(12).toString('hex')}!`;

/** Made once: a decoder without `stream` keeps nothing between calls, and making one costs microseconds. */
const DECODERS: Readonly<Record<BodyCharset, TextDecoder>> = {
  'utf-8': new TextDecoder('utf-8', { fatal: true }),
  'utf-16le': new TextDecoder('utf-16le', { fatal: true }),
  'utf-16be': new TextDecoder('utf-16be', { fatal: true }),
};

/**
 * Turns a SOAP body into text: UTF-8 by default, UTF-16 when a byte-order mark or the charset
 * parameter says so. Bytes that are not valid in their encoding are invalid XML, not mojibake.
 */
export function decodeSoapBody(body: Buffer, contentType: string): DecodedBody {
  const declared = /charset\s*=\s*"?([A-Za-z0-9_-]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  let charset: BodyCharset;
  let start = 0;
  if (body[0] === 0xff && body[1] === 0xfe) [charset, start] = ['utf-16le', 2];
  else if (body[0] === 0xfe && body[1] === 0xff) [charset, start] = ['utf-16be', 2];
  else if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) [charset, start] = ['utf-8', 3];
  else if (declared === undefined || declared === 'utf-8' || declared === 'utf8') charset = 'utf-8';
  else if (declared === 'utf-16' || declared === 'utf-16le') charset = 'utf-16le';
  else if (declared === 'utf-16be') charset = 'utf-16be';
  else throw new WsmanFault('unsupportedEncoding', [], `charset ${declared}`);

  const bytes = body.subarray(start);
  // Almost every request is ASCII (XML and base64): its text is its bytes, and checking the bytes
  // for the control characters XML forbids is several times cheaper than decoding and then testing
  // the text (protocol/xml/control-bytes.ts). A body that has one goes the general way, to the
  // parser's own fault, and so does every body where the vector scan cannot run.
  if (charset === 'utf-8' && findDisallowedControlByte !== undefined && isAscii(bytes) && findDisallowedControlByte(bytes) < 0) {
    const cut = cutOutStreamContent(bytes, CUT_OUT_MARKER);
    if (cut !== undefined) return { text: cut.text, charset, charactersChecked: true, cutOut: cut.cutOut };
    return { text: bytes.toString('latin1'), charset, charactersChecked: true };
  }
  try {
    const text = DECODERS[charset].decode(bytes);
    return { text, charset, charactersChecked: false };
  } catch {
    throw new WsmanFault('invalidXml', [], `body is not valid ${charset}`);
  }
}

/** The body's whole text, its cut-out content put back: for a transcript or a logged body. */
export function wholeText(decoded: DecodedBody): string {
  return restoreCutOut(decoded.text, decoded.cutOut);
}

/** `allocate` gives the memory of a UTF-8 reply whose base64 is kept as bytes (a Receive reply). */
export function encodeSoapReply(xml: EnvelopeText, charset: BodyCharset, allocate?: (size: number) => Buffer): { body: Buffer; contentType: string } {
  if (charset === 'utf-8') {
    return { body: typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml.toUtf8(allocate), contentType: 'application/soap+xml;charset=UTF-8' };
  }
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.toString(), 'utf16le')]);
  return { body: le, contentType: 'application/soap+xml;charset=UTF-16' };
}
