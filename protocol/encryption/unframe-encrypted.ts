import { EncryptedBodyError, canonicalProtocol, type EncryptedPart } from './encrypted-types.js';
import { MimeScanner } from './mime-scanner.js';

/** A part has two header lines in practice; allow some slack for blank or unknown lines. */
const MAX_HEADER_LINES = 16;
/** 15 digits stay below Number.MAX_SAFE_INTEGER. */
const LENGTH_PATTERN = /^\d{1,15}$/;

/**
 * Takes a multipart/encrypted (or x-multi-encrypted) WinRM body apart [MS-WSMV 2.2.9.1.1]:
 *
 * ```
 * --Encrypted Boundary CRLF
 * [TAB]Content-Type: <protocol> CRLF
 * [TAB]OriginalContent: type=application/soap+xml;charset=UTF-8;Length=N CRLF
 * --Encrypted Boundary CRLF
 * [TAB]Content-Type: application/octet-stream CRLF
 * LE32(H) ‖ H-byte security header ‖ encrypted data
 * (the next part's --Encrypted Boundary line) or --Encrypted Boundary-- CRLF
 * ```
 *
 * Liberal where clients differ (notes §2.3): TAB or not, CRLF or LF, `-- Encrypted Boundary`,
 * `length=` in any case and parameter order, a final delimiter with or without `--`. Strict about
 * structure and lengths: throws EncryptedBodyError, and nothing else, for anything it cannot take
 * apart. Callers still compare the unwrapped length with `originalLength`.
 */
export function unframeEncrypted(body: Buffer, boundary: string): EncryptedPart[] {
  if (boundary === '' || /[\r\n]/.test(boundary)) throw new EncryptedBodyError('invalid MIME boundary');
  const scanner = new MimeScanner(body, boundary);
  const parts: EncryptedPart[] = [];
  let pos = scanner.skipBlank(0);
  for (;;) {
    const { part, nextPart } = readPart(scanner, pos);
    parts.push(part);
    if (nextPart === undefined) return parts;
    pos = nextPart;
  }
}

function readPart(scanner: MimeScanner, start: number): { part: EncryptedPart; nextPart: number | undefined } {
  const opening = scanner.readLine(start);
  if (!scanner.isDelimiterLine(opening.text)) throw new EncryptedBodyError(`expected a boundary line at byte ${start}`);
  const { headers, next: afterHeaders } = readHeaders(scanner, opening.next);
  const protocol = headers.get('content-type');
  if (protocol === undefined || protocol === '') throw new EncryptedBodyError('encrypted part without Content-Type');
  const original = headers.get('originalcontent');
  if (original === undefined) throw new EncryptedBodyError('encrypted part without OriginalContent');
  const { contentType, length } = parseOriginalContent(original);

  const octetLine = scanner.readLine(afterHeaders);
  const octet = splitHeader(octetLine.text);
  if (octet?.name !== 'content-type' || octet.value.toLowerCase() !== 'application/octet-stream') {
    throw new EncryptedBodyError('encrypted part without its application/octet-stream section');
  }

  const body = scanner.body;
  const fieldAt = octetLine.next;
  if (fieldAt + 4 > body.length) throw new EncryptedBodyError('body ends inside the header length field');
  const headerLength = body.readUInt32LE(fieldAt);
  const headerAt = fieldAt + 4;
  if (headerLength > body.length - headerAt) {
    throw new EncryptedBodyError(`security header length ${headerLength} exceeds the remaining ${body.length - headerAt} bytes`);
  }
  const dataAt = headerAt + headerLength;
  const end = scanner.findDataEnd(dataAt, length);
  if (end === undefined) throw new EncryptedBodyError('encrypted data is not followed by a boundary');

  const part: EncryptedPart = {
    protocol: canonicalProtocol(protocol),
    originalContentType: contentType,
    originalLength: length,
    // Copies, so that in-place decryption cannot disturb the request body or a neighbouring part.
    header: Buffer.from(body.subarray(headerAt, dataAt)),
    data: Buffer.from(body.subarray(dataAt, end.dataEnd)),
  };
  return { part, nextPart: end.kind === 'next' ? end.nextPart : undefined };
}

/** Header lines of the first section, up to the second delimiter line. Names are lower-cased; first wins. */
function readHeaders(scanner: MimeScanner, start: number): { headers: Map<string, string>; next: number } {
  const headers = new Map<string, string>();
  let pos = start;
  for (let count = 0; count < MAX_HEADER_LINES; count++) {
    const line = scanner.readLine(pos);
    pos = line.next;
    if (scanner.isDelimiterLine(line.text)) return { headers, next: pos };
    if (line.text.trim() === '') continue;
    const header = splitHeader(line.text);
    if (header === undefined) throw new EncryptedBodyError('malformed MIME header line');
    if (!headers.has(header.name)) headers.set(header.name, header.value);
  }
  throw new EncryptedBodyError('missing the boundary before the octet-stream section');
}

function splitHeader(line: string): { name: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon).trim().toLowerCase();
  return name === '' ? undefined : { name, value: line.slice(colon + 1).trim() };
}

/**
 * `type=application/soap+xml;charset=UTF-8;Length=1234` in any parameter order; `length=` in any
 * case (OMI). The content type is `type=` followed by the remaining parameters.
 */
function parseOriginalContent(value: string): { contentType: string; length: number } {
  let type: string | undefined;
  let lengthText: string | undefined;
  const others: string[] = [];
  for (const raw of value.split(';')) {
    const segment = raw.trim();
    if (segment === '') continue;
    const match = /^([A-Za-z-]+)[ \t]*=[ \t]*(.*)$/.exec(segment);
    const name = match?.[1]?.toLowerCase();
    if (name === 'length') lengthText ??= match?.[2] ?? '';
    else if (name === 'type' && type === undefined) type = match?.[2] ?? '';
    else others.push(segment);
  }
  if (lengthText === undefined) throw new EncryptedBodyError('OriginalContent without Length');
  if (!LENGTH_PATTERN.test(lengthText)) throw new EncryptedBodyError('OriginalContent Length is not a number');
  const contentType = (type === undefined ? others : [type, ...others]).join(';');
  return { contentType, length: Number(lengthText) };
}
