import { DEFAULT_BOUNDARY, type EncryptedPart } from './encrypted-types.js';

/** An encrypted body ready to send, with the HTTP Content-Type header value that goes with it. */
export interface FramedBody {
  readonly body: Buffer;
  readonly contentType: string;
}

const MAX_UINT32 = 0xffff_ffff;

/**
 * Builds the body exactly as Windows does [MS-WSMV 2.2.9.1.1] (notes §2.2), one section per part:
 *
 * ```
 * --Encrypted Boundary\r\n
 * \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
 * \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=1234\r\n
 * --Encrypted Boundary\r\n
 * \tContent-Type: application/octet-stream\r\n
 * LE32(header.length) header data
 * ```
 *
 * followed by `--Encrypted Boundary--\r\n` straight after the last data byte: pywinrm strips exactly
 * that suffix and would otherwise hand a CRLF to the unsealer. Several parts make the body
 * `multipart/x-multi-encrypted` [MS-WSMV 2.2.9.1.3]. Throws RangeError for arguments no body can
 * carry (no parts, mixed protocols, line breaks or quotes in header text, impossible lengths).
 * `allocate` gives the body's memory (the listener's reusable reply buffers); every byte of it is
 * written.
 */
export function frameEncrypted(
  parts: readonly EncryptedPart[],
  boundary: string = DEFAULT_BOUNDARY,
  allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
): FramedBody {
  const first = parts[0];
  if (first === undefined) throw new RangeError('frameEncrypted needs at least one part');
  checkHeaderText('boundary', boundary);
  const delimiter = `--${boundary}\r\n`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (part.protocol !== first.protocol) throw new RangeError('all parts of one body share a protocol');
    checkHeaderText('protocol', part.protocol);
    checkHeaderText('originalContentType', part.originalContentType);
    if (!Number.isSafeInteger(part.originalLength) || part.originalLength < 0) {
      throw new RangeError(`invalid originalLength ${part.originalLength}`);
    }
    if (part.header.length > MAX_UINT32) throw new RangeError('security header too long');
    const lengthField = Buffer.alloc(4);
    lengthField.writeUInt32LE(part.header.length);
    const text =
      delimiter +
      `\tContent-Type: ${part.protocol}\r\n` +
      `\tOriginalContent: type=${part.originalContentType};Length=${part.originalLength}\r\n` +
      delimiter +
      '\tContent-Type: application/octet-stream\r\n';
    chunks.push(Buffer.from(text, 'latin1'), lengthField, part.header, part.data);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  const mediaType = parts.length > 1 ? 'multipart/x-multi-encrypted' : 'multipart/encrypted';
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const body = allocate(size);
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(body, offset);
  return {
    body,
    contentType: `${mediaType};protocol="${first.protocol}";boundary="${boundary}"`,
  };
}

function checkHeaderText(what: string, value: string): void {
  // Header values are written as latin1 into one MIME line and (protocol, boundary) inside quotes.
  if (value === '' && what !== 'originalContentType') throw new RangeError(`empty ${what}`);
  if (/[\r\n"]/.test(value) || /[^\x20-\x7e\t]/.test(value)) throw new RangeError(`${what} cannot go into a MIME header`);
}
