import { NON_XML_CHARACTER } from './xml-chars.js';
import { ProtocolError } from '../protocol-error.js';
import { isNameChar, NAME, splitQName } from './xml-names.js';
import { decodeReferences } from './xml-references.js';
import type { XmlAttribute, XmlElement } from './xml-tree.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;


/** XML 1.0 section 2.8 XMLDecl: version, then optionally encoding and standalone, each quoted. */
const XML_DECLARATION =
  /^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/;

const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', XML_NAMESPACE]]);

export interface ParseOptions {
  /**
   * The caller has already made sure that every character is one XML allows (a request's bytes
   * were checked before they became text: server/request-text.ts), so the test over the whole text
   * is not repeated.
   */
  readonly charactersChecked?: boolean | undefined;
}

/**
 * Parses an XML document into a namespace-resolved tree.
 *
 * Written for the subset SOAP uses, in one pass with no intermediate tree: elements, attributes,
 * character data, CDATA, comments and processing instructions. DTDs are refused outright:
 * WS-Management never uses them, and entity declarations are how billion-laughs and external-entity
 * attacks get in; so the only references are the five predefined entities and character references.
 * Text is sliced from the document, never copied character by character: a 500 KB base64 stream in
 * a Send reaches the codec as the same characters.
 */
export function parseXml(xml: string, options: ParseOptions = {}): XmlElement {
  if (options.charactersChecked !== true && NON_XML_CHARACTER.test(xml)) throw new ProtocolError('a character XML does not allow');
  // XML 1.0 section 2.11: a parser reports every line end, CR LF or lone CR, as LF.
  const normalised = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  return new DocumentReader(normalised).read();
}

/** An element while its content is being read: the tree's readonly shape, still mutable. */
interface OpenElement {
  readonly element: { ns: string; name: string; attributes: XmlAttribute[]; children: XmlElement[]; text: string };
  /** The name as written, which the end tag must repeat. */
  readonly qname: string;
  readonly scope: ReadonlyMap<string, string>;
}

class DocumentReader {
  private pos = 0;
  private readonly open: OpenElement[] = [];

  constructor(private readonly xml: string) {}

  read(): XmlElement {
    this.skipMisc('before');
    if (this.pos >= this.xml.length) throw this.malformed('an XML document has exactly one root element');
    const root = this.readStartTag(ROOT_SCOPE);
    if (!root.selfClosing) this.readContent();
    this.skipMisc('after');
    if (this.pos < this.xml.length) throw this.malformed('an XML document has exactly one root element');
    return root.opened.element;
  }

  /** Whitespace, comments and processing instructions around the root element. */
  private skipMisc(where: 'before' | 'after'): void {
    const xml = this.xml;
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= xml.length) return;
      if (xml.charCodeAt(this.pos) !== LT) throw this.malformed('character data outside the root element');
      const next = xml.charCodeAt(this.pos + 1);
      if (next === QUESTION) this.skipProcessingInstruction();
      else if (next === BANG && xml.startsWith('<!--', this.pos)) this.skipComment();
      else if (next === BANG) this.refuseDeclaration();
      else if (where === 'before') return;
      else throw this.malformed('an XML document has exactly one root element');
    }
  }

  /** The content of the root element, down to its end tag; nesting is kept on a stack, not in recursion. */
  private readContent(): void {
    const xml = this.xml;
    const open = this.open;
    for (;;) {
      const current = open[open.length - 1];
      if (current === undefined) return;
      const lt = xml.indexOf('<', this.pos);
      if (lt < 0) throw this.malformed(`element <${current.qname}> is not closed`);
      if (lt > this.pos) current.element.text += this.characterData(this.pos, lt);
      this.pos = lt;
      const next = xml.charCodeAt(lt + 1);
      if (next === SLASH) this.readEndTag(current);
      else if (next === QUESTION) this.skipProcessingInstruction();
      else if (next === BANG) {
        if (xml.startsWith('<!--', lt)) this.skipComment();
        else if (xml.startsWith('<![CDATA[', lt)) current.element.text += this.readCdata();
        else this.refuseDeclaration();
      } else {
        const child = this.readStartTag(current.scope);
        current.element.children.push(child.opened.element);
        if (child.selfClosing) open.pop();
      }
    }
  }

  /**
   * Text up to the next markup. XML 1.0 forbids ']]>' here, but serialisers that escape only '&'
   * and '<' can write it inside a command line, and the parser before this one took it: so it is
   * taken as text.
   */
  private characterData(start: number, end: number): string {
    return decodeReferences(this.xml.slice(start, end));
  }

  /** Reads `<name attributes>` or `<name attributes/>` and opens the element it starts. */
  private readStartTag(parentScope: ReadonlyMap<string, string>): { opened: OpenElement; selfClosing: boolean } {
    const xml = this.xml;
    this.pos++;
    const qname = this.readName('an element name');
    const raw: [string, string][] = [];
    let selfClosing = false;
    for (;;) {
      const spaced = this.skipWhitespace();
      const c = xml.charCodeAt(this.pos);
      if (c === GT) {
        this.pos++;
        break;
      }
      if (c === SLASH && xml.charCodeAt(this.pos + 1) === GT) {
        this.pos += 2;
        selfClosing = true;
        break;
      }
      if (this.pos >= xml.length) throw this.malformed(`start tag <${qname}> is not closed`);
      if (!spaced) throw this.malformed(`unexpected '${xml[this.pos] ?? ''}' in start tag <${qname}>`);
      const name = this.readName(`an attribute name in <${qname}>`);
      if (raw.some(([seen]) => seen === name)) throw this.malformed(`attribute '${name}' repeated in <${qname}>`);
      raw.push([name, this.readAttributeValue(name)]);
    }
    const opened = resolveElement(qname, raw, parentScope);
    this.open.push(opened);
    return { opened, selfClosing };
  }

  private readAttributeValue(name: string): string {
    const xml = this.xml;
    this.skipWhitespace();
    if (xml.charCodeAt(this.pos) !== EQUALS) throw this.malformed(`attribute '${name}' has no value`);
    this.pos++;
    this.skipWhitespace();
    const quote = xml.charCodeAt(this.pos);
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) throw this.malformed(`attribute '${name}' is not quoted`);
    const end = xml.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", this.pos + 1);
    if (end < 0) throw this.malformed(`attribute '${name}' is not closed`);
    const value = xml.slice(this.pos + 1, end);
    if (value.includes('<')) throw this.malformed("'<' in an attribute value");
    this.pos = end + 1;
    return decodeReferences(value);
  }

  private readEndTag(current: OpenElement): void {
    const xml = this.xml;
    const nameAt = this.pos + 2;
    const after = nameAt + current.qname.length;
    // The end tag must repeat the open element's name exactly: compared in place, not read out.
    if (!xml.startsWith(current.qname, nameAt) || isNameChar(xml.charCodeAt(after))) {
      NAME.lastIndex = nameAt;
      const written = NAME.test(xml) ? xml.slice(nameAt, NAME.lastIndex) : '';
      throw this.malformed(`end tag </${written}> does not match <${current.qname}>`);
    }
    this.pos = after;
    this.skipWhitespace();
    if (xml.charCodeAt(this.pos) !== GT) throw this.malformed(`end tag </${current.qname}> is not closed`);
    this.pos++;
    this.open.pop();
  }

  private readCdata(): string {
    const start = this.pos + '<![CDATA['.length;
    const end = this.xml.indexOf(']]>', start);
    if (end < 0) throw this.malformed('a CDATA section is not closed');
    this.pos = end + 3;
    return this.xml.slice(start, end);
  }

  private skipComment(): void {
    const end = this.xml.indexOf('-->', this.pos + 4);
    if (end < 0) throw this.malformed('a comment is not closed');
    this.pos = end + 3;
  }

  /** `<?target data?>`; the XML declaration is one, allowed only at the very start. */
  private skipProcessingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.readName('a processing instruction target');
    if (target.toLowerCase() === 'xml') {
      if (start !== 0) throw this.malformed('an XML declaration not at the start of the document');
      const declaration = XML_DECLARATION.exec(this.xml.slice(0, 200));
      if (declaration === null) throw this.malformed('an XML declaration other than version, encoding, standalone');
      this.pos = declaration[0].length;
      return;
    }
    const end = this.xml.indexOf('?>', this.pos);
    if (end < 0) throw this.malformed('a processing instruction is not closed');
    this.pos = end + 2;
  }

  /** `<!` that opens neither a comment nor CDATA: a DTD declaration, or nothing XML knows. */
  private refuseDeclaration(): never {
    const word = /^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.exec(this.xml.slice(this.pos, this.pos + 10));
    if (word !== null) throw new ProtocolError('DTDs and entity declarations are not allowed');
    throw this.malformed("markup starting '<!' that is neither a comment nor CDATA");
  }

  private readName(what: string): string {
    NAME.lastIndex = this.pos;
    if (!NAME.test(this.xml)) throw this.malformed(`expected ${what}`);
    const start = this.pos;
    this.pos = NAME.lastIndex;
    return this.xml.slice(start, this.pos);
  }

  /** Skips XML white space (space, tab, LF; CRs are gone by now); says whether there was any. */
  private skipWhitespace(): boolean {
    const xml = this.xml;
    const start = this.pos;
    let c = xml.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x09) c = xml.charCodeAt(++this.pos);
    return this.pos > start;
  }

  /** A syntax error, located by line as the previous parser reported it, for the fault's log detail. */
  private malformed(message: string): ProtocolError {
    let line = 1;
    for (let at = this.xml.indexOf('\n'); at >= 0 && at < this.pos; at = this.xml.indexOf('\n', at + 1)) line++;
    return new ProtocolError(`malformed XML at line ${line}: ${message}`);
  }
}

/** Applies the tag's namespace declarations and resolves its name and attributes. */
function resolveElement(qname: string, raw: readonly (readonly [string, string])[], parentScope: ReadonlyMap<string, string>): OpenElement {
  let scope = parentScope;
  for (const [name, value] of raw) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    // The map is copied only for an element that declares something, which in SOAP is the envelope.
    if (scope === parentScope) scope = new Map(parentScope);
    (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice('xmlns:'.length), value);
  }
  const { prefix, local } = splitQName(qname);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '') throw new ProtocolError(`undeclared namespace prefix '${prefix}'`);

  const attributes: XmlAttribute[] = [];
  for (const [name, value] of raw) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const q = splitQName(name);
    // Unprefixed attributes are in no namespace (Namespaces in XML 1.0 section 6.2), not the default one.
    const attributeNs = q.prefix === '' ? '' : scope.get(q.prefix);
    if (attributeNs === undefined) throw new ProtocolError(`undeclared namespace prefix '${q.prefix}'`);
    if (attributeNs === XMLNS_NAMESPACE) continue;
    attributes.push({ ns: attributeNs, name: q.local, value });
  }
  return { element: { ns: ns ?? '', name: local, attributes, children: [], text: '' }, qname, scope };
}
