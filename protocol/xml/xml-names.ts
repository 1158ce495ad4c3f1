import { ProtocolError } from '../protocol-error.js';

/**
 * XML 1.0 (fifth edition) section 2.3 NameStartChar, on UTF-16 code units: a surrogate counts as a
 * name character, since every astral code point but the last plane's is one.
 */
export function isNameStartChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xdfff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** XML 1.0 section 2.3 NameChar. */
export function isNameChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x3a || c === 0x2d || c === 0x2e;
  return isNameStartChar(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/**
 * A Name (XML 1.0 section 2.3) from `lastIndex` on, the same classes as the functions above: a
 * sticky regular expression, because the regex engine scans names several times faster than a
 * loop of charCodeAt calls, and `test` allocates nothing.
 */
export const NAME =
  // The classes hold ranges of code units, not characters: nothing is joined or combined here.
  // eslint-disable-next-line no-misleading-character-class
  /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uDFFF\uF900-\uFDCF\uFDF0-\uFFFD][-.0-9\u00B7\u0300-\u036F\u203F\u2040A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uDFFF\uF900-\uFDCF\uFDF0-\uFFFD]*/y;

export interface QName {
  readonly prefix: string;
  readonly local: string;
}

/** Splits `prefix:local`; Namespaces in XML 1.0 allows at most one colon, with text on both sides. */
export function splitQName(qname: string): QName {
  const colon = qname.indexOf(':');
  if (colon < 0) return { prefix: '', local: qname };
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':')) throw new ProtocolError(`invalid qualified name '${qname}'`);
  return { prefix, local };
}
