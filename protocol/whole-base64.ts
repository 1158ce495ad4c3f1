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
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return decoded.length === (text.length / 4) * 3 - padding ? decoded : undefined;
}
