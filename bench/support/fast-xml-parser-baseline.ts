/**
 * The parser winrmd used before issue #9 (fast-xml-parser, its validator, then namespace
 * resolution), kept unchanged as the baseline row of bench/xml-parse.bench.ts and as the reference
 * the hand-written parser is compared with in test/unit/protocol/xml/parse-xml-agreement.test.ts.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProtocolError } from '../../protocol/protocol-error.js';
import type { XmlAttribute, XmlElement } from '../../protocol/xml/xml-tree.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
const ATTRIBUTE_PREFIX = '@_';
const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';
const CDATA_KEY = '#cdata';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  parseTagValue: false,
  parseAttributeValue: false,
  // Base64 and command lines are significant to the byte, so nothing is trimmed here.
  trimValues: false,
  // References are decoded here (decodeReferences), not by the parser, which leaves character
  // references alone and passes undeclared entities through; CDATA is kept apart so that it is
  // never decoded.
  processEntities: false,
  cdataPropName: CDATA_KEY,
  // By default names like hasOwnProperty come back renamed `__hasOwnProperty`. The ordered nodes
  // are only read through Object.keys/entries here, so such names are harmless and kept as sent
  // (__proto__ and constructor are still refused by the parser).
  onDangerousProperty: (name: string) => name,
});

/** One node of fast-xml-parser's ordered output: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

/**
 * Parses an XML document into a namespace-resolved tree.
 *
 * DTDs are refused outright: WS-Management never uses them, and entity declarations are how
 * billion-laughs and external-entity attacks get in.
 */
export function parseXmlWithFastXmlParser(xml: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ProtocolError('DTDs and entity declarations are not allowed');
  // XML 1.0 section 2.2: these code points may not appear in a document, raw or otherwise.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new ProtocolError('a character XML does not allow');
  // fast-xml-parser's parser is lenient (it accepts truncated documents), so well-formedness is
  // checked first. The validator is marked deprecated in favour of a separate package; it still
  // ships in v5 and one dependency is better than two for the same job.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    throw new ProtocolError(`malformed XML at line ${validation.err.line}: ${validation.err.msg}`);
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (error) {
    // The parser refuses names such as __proto__ with a plain Error; to a client it is bad XML.
    throw new ProtocolError(error instanceof Error ? error.message : 'unparseable XML');
  }
  const nodes = asNodeList(parsed);
  // The parser drops character data after the root element; a document ends with markup.
  if (!xml.trimEnd().endsWith('>') || nodes.some((n) => typeof n[TEXT_KEY] === 'string' && n[TEXT_KEY].trim() !== '')) {
    throw new ProtocolError('character data outside the root element');
  }
  const roots = nodes.filter((n) => elementTag(n) !== undefined);
  const root = roots[0];
  if (root === undefined || roots.length !== 1) throw new ProtocolError('an XML document has exactly one root element');
  return resolveElement(root, new Map([['xml', XML_NAMESPACE]]));
}

function resolveElement(node: OrderedNode, inScope: ReadonlyMap<string, string>): XmlElement {
  const tag = elementTag(node);
  if (tag === undefined) throw new ProtocolError('expected an element');
  const rawAttributes = readAttributes(node);
  const scope = new Map(inScope);
  for (const [name, value] of rawAttributes) {
    if (name === 'xmlns') scope.set('', value);
    else if (name.startsWith('xmlns:')) scope.set(name.slice('xmlns:'.length), value);
  }
  const { prefix, local } = splitQName(tag);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '') throw new ProtocolError(`undeclared namespace prefix '${prefix}'`);

  const attributes: XmlAttribute[] = [];
  for (const [name, value] of rawAttributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const q = splitQName(name);
    // Unprefixed attributes are in no namespace (XML Namespaces 1.0 section 6.2), not the default one.
    const attributeNs = q.prefix === '' ? '' : scope.get(q.prefix);
    if (attributeNs === undefined) throw new ProtocolError(`undeclared namespace prefix '${q.prefix}'`);
    if (attributeNs === XMLNS_NAMESPACE) continue;
    attributes.push({ ns: attributeNs, name: q.local, value });
  }

  const children: XmlElement[] = [];
  let text = '';
  for (const child of asNodeList(node[tag])) {
    const childText = child[TEXT_KEY];
    if (typeof childText === 'string') text += decodeReferences(childText);
    else if (child[CDATA_KEY] !== undefined) text += cdataText(child[CDATA_KEY]);
    else if (elementTag(child) !== undefined) children.push(resolveElement(child, scope));
  }
  return { ns: ns ?? '', name: local, attributes, children, text };
}

function elementTag(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key === ATTRIBUTES_KEY || key === TEXT_KEY || key === CDATA_KEY) continue;
    // '?xml' declarations and processing instructions are not elements.
    if (key.startsWith('?') || key.startsWith('!')) return undefined;
    return key;
  }
  return undefined;
}

function readAttributes(node: OrderedNode): Map<string, string> {
  const result = new Map<string, string>();
  const raw = node[ATTRIBUTES_KEY];
  if (raw === undefined || raw === null || typeof raw !== 'object') return result;
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(ATTRIBUTE_PREFIX) && typeof value === 'string') {
      if (value.includes('<')) throw new ProtocolError("'<' in an attribute value");
      result.set(key.slice(ATTRIBUTE_PREFIX.length), decodeReferences(value));
    }
  }
  return result;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else is malformed. */
function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9._-]*);|&/g, (_whole, ref: string | undefined) => {
    if (ref === undefined) throw new ProtocolError("an '&' that starts no reference");
    if (ref.startsWith('#')) {
      const codePoint = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(codePoint)) throw new ProtocolError(`character reference &${ref}; is not an XML character`);
      return String.fromCodePoint(codePoint);
    }
    const named = PREDEFINED_ENTITIES[ref];
    if (named === undefined) throw new ProtocolError(`undeclared entity &${ref};`);
    return named;
  });
}

/** XML 1.0 section 2.2 Char. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function cdataText(value: unknown): string {
  return asNodeList(value)
    .map((n) => n[TEXT_KEY])
    .filter((t): t is string => typeof t === 'string')
    .join('');
}

function asNodeList(value: unknown): OrderedNode[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is OrderedNode => typeof v === 'object' && v !== null);
}

function splitQName(qname: string): { prefix: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { prefix: '', local: qname };
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':')) throw new ProtocolError(`invalid qualified name '${qname}'`);
  return { prefix, local };
}
