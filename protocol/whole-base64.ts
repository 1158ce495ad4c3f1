/**
 * The fast path of strict base64 decoding, for large stream content (a Send carries up to ~380 KB).
 * Node's decoder skips every character it does not understand, so a pattern check over the text
 * comes first on the slow path; that check costs more than the decoding itself. This one decodes
 * first: when the text is padded, has no whitespace and no base64url character, and the decoder
 * produced exactly the bytes its length promises, no character was skipped, so every one was base64.
 */
export function decodeWholeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || text.includes('-') || text.includes('_')) return undefined;
  const decoded = Buffer.from(text, 'base64');
  const padding = (text.endsWith('=') ? 1 : 0) + (text.endsWith('==') ? 1 : 0);
  return decoded.length === promisedBytes(text.length, padding) ? decoded : undefined;
}

/** What `chars` characters of padded base64 decode to, `padding` of them being '='. */
function promisedBytes(chars: number, padding: number): number {
  return (chars / 4) * 3 - padding;
}

/** Base64 characters decoded at a time from bytes: a multiple of 4, and a string V8 keeps young. */
const PIECE_CHARS = 48 * 1024;
const MINUS = 0x2d;
const UNDERSCORE = 0x5f;
const EQUALS = 0x3d;

/**
 * decodeWholeBase64 for base64 that is still bytes (a Send's stream content, cut-out-text.ts):
 * decoded piece by piece into one buffer, each piece's text small enough to stay out of V8's
 * large-object space. The same rule proves every character was base64: each piece gave exactly the
 * bytes its length promises.
 */
export function decodeWholeBase64Bytes(text: Buffer): Buffer | undefined {
  if (text.length % 4 !== 0 || text.includes(MINUS) || text.includes(UNDERSCORE)) return undefined;
  const padding = (text[text.length - 1] === EQUALS ? 1 : 0) + (text[text.length - 2] === EQUALS ? 1 : 0);
  const out = Buffer.allocUnsafe(promisedBytes(text.length, 0));
  let written = 0;
  for (let start = 0; start < text.length; start += PIECE_CHARS) {
    const end = Math.min(text.length, start + PIECE_CHARS);
    const promised = promisedBytes(end - start, end === text.length ? padding : 0);
    if (out.write(text.toString('latin1', start, end), written, 'base64') !== promised) return undefined;
    written += promised;
  }
  return out.subarray(0, written);
}
