/**
 * XML 1.0 section 2.2 Char, the characters a document may hold, raw or as a reference: tab,
 * newline, return, U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 up.
 */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/**
 * A UTF-16 code unit outside Char: the C0 controls but tab, newline and return, and U+FFFE and
 * U+FFFF. Surrogates are not tested here: a string from a strict UTF-8 or UTF-16 decoder holds
 * them only in pairs. Without the `u` flag, so a test runs over code units at full speed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
export const NON_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** The same, for replace(): every such code unit. */
export const NON_XML_CHARACTERS = new RegExp(NON_XML_CHARACTER.source, 'g');
