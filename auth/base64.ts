/**
 * Base64 from a client or a stored file, decoded only when every character is base64: Node's
 * Buffer.from skips what it does not understand, which would turn junk into some other value.
 */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function decodeStrictBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}
