import { ProtocolError } from '../protocol-error.js';

/**
 * XML 1.0 (fifth edition) section 2.3 NameStartChar, as a regular-expression class over UTF-16 code
 * units: a surrogate counts as a name character, since every astral code point but the last
 * plane's is one. The classes hold ranges of code units, not characters: nothing is joined or
 * combined here.
 */
const NAME_START_CLASS =
  'A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uDFFF\uF900-\uFDCF\uFDF0-\uFFFD';
/** NameChar: a NameStartChar, or one of these. */
const NAME_CHAR_CLASS = `-.0-9\u00B7\u0300-\u036F\u203F\u2040${NAME_START_CLASS}`;

/**
 * A Name (XML 1.0 section 2.3) from `lastIndex` on: a sticky regular expression, because the regex
 * engine scans names several times faster than a loop of charCodeAt calls, and `test` allocates
 * nothing.
 */
// eslint-disable-next-line no-misleading-character-class -- ranges of code units, see above
export const NAME = new RegExp(`[${NAME_START_CLASS}][${NAME_CHAR_CLASS}]*`, 'y');

// eslint-disable-next-line no-misleading-character-class -- ranges of code units, see above
const NAME_CHAR = new RegExp(`^[${NAME_CHAR_CLASS}]$`);

/** XML 1.0 section 2.3 NameChar, for one code unit (NaN, past the end of a string, is none). */
export function isNameChar(c: number): boolean {
  return NAME_CHAR.test(String.fromCharCode(c));
}

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
