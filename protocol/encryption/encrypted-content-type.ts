import { DEFAULT_BOUNDARY, canonicalProtocol } from './encrypted-types.js';

/** What the HTTP `Content-Type` of an encrypted WinRM body says [MS-WSMV 2.2.9.1]. */
export interface EncryptedContentType {
  /** Canonical spelling when it is one of ENCRYPTION_PROTOCOL, else as sent. */
  readonly protocol: string;
  readonly boundary: string;
  /** `multipart/x-multi-encrypted`: several parts, one per 16 KiB chunk (CredSSP, [MS-WSMV 2.2.9.1.3]). */
  readonly multi: boolean;
}

/**
 * Reads `multipart/encrypted;protocol="...";boundary="Encrypted Boundary"` (or x-multi-encrypted).
 * Tolerates spaces around `;` and `=`, unquoted values and any letter case in the media type and
 * parameter names. A missing boundary means the only one in use. Returns undefined for any other
 * media type or when the protocol is missing.
 */
export function parseEncryptedContentType(contentType: string): EncryptedContentType | undefined {
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType !== 'multipart/encrypted' && mediaType !== 'multipart/x-multi-encrypted') return undefined;
  const params = semicolon < 0 ? new Map<string, string>() : parseParameters(contentType.slice(semicolon + 1));
  const protocol = params.get('protocol');
  if (protocol === undefined || protocol === '') return undefined;
  const boundary = params.get('boundary');
  return {
    protocol: canonicalProtocol(protocol),
    boundary: boundary === undefined || boundary === '' ? DEFAULT_BOUNDARY : boundary,
    multi: mediaType === 'multipart/x-multi-encrypted',
  };
}

/** RFC 2045 §5.1 parameters: `name=value` or `name="quoted \" value"`, `;`-separated. First one wins. */
function parseParameters(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || isSpace(text[i]))) i++;
    const nameStart = i;
    while (i < text.length && text[i] !== '=' && text[i] !== ';') i++;
    const name = text.slice(nameStart, i).trim().toLowerCase();
    if (text[i] !== '=') continue; // a bare token without value: skip it
    i++;
    while (i < text.length && isSpace(text[i])) i++;
    let value: string;
    if (text[i] === '"') {
      ({ value, next: i } = readQuoted(text, i + 1));
    } else {
      const end = text.indexOf(';', i);
      value = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
    }
    if (name !== '' && !params.has(name)) params.set(name, value);
  }
  return params;
}

function readQuoted(text: string, start: number): { value: string; next: number } {
  let value = '';
  let i = start;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    value += text[i] ?? '';
    i++;
  }
  return { value, next: i + 1 };
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}
