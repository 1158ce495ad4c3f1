import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/protocol-error.js';
import { parseXml } from '../../../../protocol/xml/parse-xml.js';
import { attributeValue, attributeValueIgnoringCase, childElement, childElements } from '../../../../protocol/xml/xml-tree.js';
import type { XmlElement } from '../../../../protocol/xml/xml-tree.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { A, find, must, RSP, S, seededRandom, W } from '../xml-query.js';

interface Prefixes {
  readonly soap: string;
  readonly addressing: string;
  readonly wsman: string;
  readonly shell: string;
}

/** One Create-like envelope, with the prefixes a given client library chooses. */
function envelopeWith(p: Prefixes): string {
  return (
    `<${p.soap}:Envelope xmlns:${p.soap}="${NS.soap}" xmlns:${p.addressing}="${NS.addressing}" ` +
    `xmlns:${p.wsman}="${NS.wsman}" xmlns:${p.shell}="${NS.shell}">` +
    `<${p.soap}:Header>` +
    `<${p.addressing}:Action ${p.soap}:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/Create</${p.addressing}:Action>` +
    `<${p.addressing}:MessageID>uuid:0F3C2E51-7B6A-4C1D-9E22-5A1B3C4D5E6F</${p.addressing}:MessageID>` +
    `<${p.wsman}:SelectorSet><${p.wsman}:Selector Name="ShellId">ABC</${p.wsman}:Selector></${p.wsman}:SelectorSet>` +
    `</${p.soap}:Header>` +
    `<${p.soap}:Body><${p.shell}:Shell><${p.shell}:InputStreams>stdin</${p.shell}:InputStreams></${p.shell}:Shell></${p.soap}:Body>` +
    `</${p.soap}:Envelope>`
  );
}

/** The same envelope with default namespaces declared wherever they change. */
const DEFAULT_NAMESPACE_ENVELOPE =
  `<Envelope xmlns="${NS.soap}" xmlns:s="${NS.soap}">` +
  `<Header>` +
  `<Action xmlns="${NS.addressing}" s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/Create</Action>` +
  `<MessageID xmlns="${NS.addressing}">uuid:0F3C2E51-7B6A-4C1D-9E22-5A1B3C4D5E6F</MessageID>` +
  `<SelectorSet xmlns="${NS.wsman}"><Selector Name="ShellId">ABC</Selector></SelectorSet>` +
  `</Header>` +
  `<Body><Shell xmlns="${NS.shell}"><InputStreams>stdin</InputStreams></Shell></Body>` +
  `</Envelope>`;

/** A tree with the attributes in a canonical order, for comparing trees parsed from different spellings. */
function canonical(element: XmlElement): unknown {
  return {
    ns: element.ns,
    name: element.name,
    text: element.text,
    attributes: [...element.attributes].sort((a, b) => `${a.ns} ${a.name}`.localeCompare(`${b.ns} ${b.name}`)),
    children: element.children.map(canonical),
  };
}

function expectProtocolError(xml: string): void {
  let caught: unknown;
  try {
    parseXml(xml);
  } catch (error) {
    caught = error;
  }
  expect(caught, JSON.stringify(xml)).toBeInstanceOf(ProtocolError);
}

describe('parseXml namespace resolution', () => {
  const pywinrm = parseXml(envelopeWith({ soap: 'env', addressing: 'a', wsman: 'w', shell: 'rsp' }));
  const pypsrp = parseXml(envelopeWith({ soap: 's', addressing: 'wsa', wsman: 'wsman', shell: 'rsp' }));
  const odd = parseXml(envelopeWith({ soap: 'SOAP-ENV', addressing: 'addr', wsman: 'x1', shell: 'shell' }));
  const defaults = parseXml(DEFAULT_NAMESPACE_ENVELOPE);

  it.each([
    ['pypsrp s:/wsa:/wsman:', pypsrp],
    ['unusual prefixes', odd],
    ['default namespaces', defaults],
  ])('gives the pywinrm env:/a:/w: tree for %s', (_label, tree) => {
    expect(canonical(tree)).toEqual(canonical(pywinrm));
  });

  it('resolves every element to its namespace URI and local name', () => {
    expect(pywinrm).toMatchObject({ ns: NS.soap, name: 'Envelope' });
    expect(must(pywinrm, S('Header'), A('Action')).text).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/Create');
    expect(must(pywinrm, S('Header'), W('SelectorSet'), W('Selector')).text).toBe('ABC');
    expect(must(pywinrm, S('Body'), RSP('Shell'), RSP('InputStreams')).text).toBe('stdin');
    // Nothing is keyed by prefix: the prefix is not kept anywhere in the tree.
    expect(JSON.stringify(pywinrm)).not.toContain('env:');
  });

  it('does not declare xmlns attributes as attributes', () => {
    expect(pywinrm.attributes).toEqual([]);
    expect(defaults.attributes).toEqual([]);
  });

  it.each([
    ['an undeclared element prefix', '<p:a/>'],
    ['an undeclared attribute prefix', '<a p:x="1"/>'],
    ['a prefix declared only on a sibling', '<r><a xmlns:p="urn:p"/><p:b/></r>'],
    ['a prefix declared only on a descendant', '<p:r><c xmlns:p="urn:p"/></p:r>'],
    ['a prefix used after its scope closed', '<r><a xmlns:p="urn:p"><p:in/></a><p:out/></r>'],
    ['the soap prefix without its declaration', '<s:Envelope><s:Body/></s:Envelope>'],
  ])('refuses %s', (_label, xml) => {
    expectProtocolError(xml);
  });

  it.each([
    ['an empty prefix', '<:a/>'],
    ['two colons', '<a:b:c xmlns:a="urn:a"/>'],
    ['an empty local name', '<a: xmlns:a="urn:a"/>'],
  ])('refuses a qualified name with %s', (_label, xml) => {
    expectProtocolError(xml);
  });

  it('lets a nested declaration shadow an outer one', () => {
    const root = parseXml('<p:r xmlns:p="urn:outer"><p:c xmlns:p="urn:inner"><p:g/></p:c><p:d/></p:r>');
    expect(root.ns).toBe('urn:outer');
    expect(root.children.map((c) => [c.ns, c.name])).toEqual([
      ['urn:inner', 'c'],
      ['urn:outer', 'd'],
    ]);
    expect(must(root, ['urn:inner', 'c'], ['urn:inner', 'g']).ns).toBe('urn:inner');
  });

  it('puts unprefixed elements in the default namespace, and xmlns="" undeclares it', () => {
    const root = parseXml('<r xmlns="urn:d"><a/><b xmlns=""><c/></b></r>');
    expect(root.ns).toBe('urn:d');
    expect(root.children.map((c) => c.ns)).toEqual(['urn:d', '']);
    expect(must(root, ['', 'b'], ['', 'c']).ns).toBe('');
  });

  it('puts unprefixed elements without any default namespace in no namespace', () => {
    expect(parseXml('<r><a/></r>')).toEqual({
      ns: '',
      name: 'r',
      attributes: [],
      children: [{ ns: '', name: 'a', attributes: [], children: [], text: '' }],
      text: '',
    });
  });
});

describe('parseXml attributes', () => {
  const root = parseXml(
    `<r xmlns="urn:default" xmlns:s="${NS.soap}" xmlns:q="urn:q">` +
      `<h s:mustUnderstand="true" Name="A"/>` +
      `<h mustUnderstand="false" Name="B"/>` +
      `<h xml:lang="en-US" q:Name="C"/>` +
      `</r>`,
  );
  const [qualified, unqualified, xmlLang] = root.children;

  it('keeps unprefixed attributes in no namespace, not the default one', () => {
    expect(unqualified?.attributes).toEqual([
      { ns: '', name: 'mustUnderstand', value: 'false' },
      { ns: '', name: 'Name', value: 'B' },
    ]);
  });

  it('resolves prefixed attributes to their namespace', () => {
    expect(qualified?.attributes).toContainEqual({ ns: NS.soap, name: 'mustUnderstand', value: 'true' });
    expect(xmlLang?.attributes).toEqual([
      { ns: NS.xml, name: 'lang', value: 'en-US' },
      { ns: 'urn:q', name: 'Name', value: 'C' },
    ]);
  });

  it('finds mustUnderstand qualified (pypsrp) and unqualified (pywinrm) alike', () => {
    if (qualified === undefined || unqualified === undefined || xmlLang === undefined) throw new Error('three children expected');
    expect(attributeValue(qualified, 'mustUnderstand', NS.soap)).toBe('true');
    expect(attributeValue(unqualified, 'mustUnderstand', NS.soap)).toBe('false');
    expect(attributeValue(unqualified, 'mustUnderstand')).toBe('false');
    // A namespace that is given excludes attributes of another namespace.
    expect(attributeValue(xmlLang, 'Name', NS.soap)).toBeUndefined();
    expect(attributeValue(xmlLang, 'Name', 'urn:q')).toBe('C');
    expect(attributeValue(xmlLang, 'lang', NS.xml)).toBe('en-US');
    expect(attributeValue(xmlLang, 'missing')).toBeUndefined();
  });

  it('compares names without case only where asked to', () => {
    const shell = parseXml('<Shell ShellID="X"/>');
    expect(attributeValue(shell, 'ShellId')).toBeUndefined();
    expect(attributeValueIgnoringCase(shell, 'ShellId')).toBe('X');
    expect(attributeValueIgnoringCase(shell, 'Other')).toBeUndefined();
  });

  it('refuses a repeated attribute', () => {
    expectProtocolError('<a x="1" x="2"/>');
  });

  it('keeps attribute values as strings, untouched', () => {
    const a = parseXml('<a n="007" b="true" e="" s="  padded  "/>');
    expect(a.attributes.map((x) => x.value)).toEqual(['007', 'true', '', '  padded  ']);
  });
});

describe('parseXml character data', () => {
  it.each([
    ['&amp;', '&'],
    ['&lt;', '<'],
    ['&gt;', '>'],
    ['&quot;', '"'],
    ['&apos;', "'"],
    ['&amp;lt;', '&lt;'],
    ['a &amp; b &lt; c', 'a & b < c'],
  ])('decodes %s in text', (encoded, decoded) => {
    expect(parseXml(`<a>${encoded}</a>`).text).toBe(decoded);
  });

  it.each([
    ['&#13;', '\r'],
    ['&#xD;', '\r'],
    ['&#x41;', 'A'],
    ['&#65;&#x42;C', 'ABC'],
    ['line&#13;&#10;', 'line\r\n'],
    ['&#xE9;', '\u00e9'],
    ['&#x1F600;', '\u{1F600}'],
  ])('decodes the character reference %s in text', (encoded, decoded) => {
    expect(parseXml(`<a>${encoded}</a>`).text).toBe(decoded);
  });

  it('decodes references in attribute values', () => {
    const a = parseXml('<a v="x &amp; &lt;y&gt; &quot;q&quot;"/>');
    expect(a.attributes[0]?.value).toBe('x & <y> "q"');
  });

  it('decodes character references in attribute values', () => {
    const a = parseXml('<a v="&#x41;&#66;"/>');
    expect(a.attributes[0]?.value).toBe('AB');
  });

  it('keeps CDATA content verbatim, entities and markup included', () => {
    expect(parseXml('<a><![CDATA[<b>&amp;</b>]]></a>').text).toBe('<b>&amp;</b>');
    expect(parseXml('<a>pre <![CDATA[mid]]> post</a>').text).toBe('pre mid post');
    expect(parseXml('<a><![CDATA[]]></a>').text).toBe('');
    // References are decoded outside CDATA only.
    expect(parseXml('<a><![CDATA[&#65;&amp;]]>&#65;&amp;</a>').text).toBe('&#65;&amp;A&');
  });

  it('keeps whitespace, since base64 and command lines are byte-exact', () => {
    expect(parseXml('<a>  x \t y  </a>').text).toBe('  x \t y  ');
    expect(parseXml('<a>\n</a>').text).toBe('\n');
  });

  it("collects an element's own text around its children, not its descendants'", () => {
    const root = parseXml('<r>one<c>inner</c>two<d/>three</r>');
    expect(root.text).toBe('onetwothree');
    expect(childElement(root, '', 'c')?.text).toBe('inner');
    expect(childElements(root, '', 'd')).toHaveLength(1);
  });

  it('ignores comments, the XML declaration and processing instructions', () => {
    const root = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><r><!-- inner -->x<?pi data?></r>');
    expect(root).toMatchObject({ name: 'r', text: 'x', children: [] });
  });
});

describe('parseXml refuses DTDs and entity declarations', () => {
  it.each([
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['an internal subset', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['a lower-case doctype', '<!doctype a><a/>'],
    ['an external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
    ],
    ['an ENTITY declaration alone', '<a><!ENTITY x "y"></a>'],
  ])('refuses %s', (_label, xml) => {
    expectProtocolError(xml);
  });
});

describe('parseXml refuses malformed documents', () => {
  const valid = envelopeWith({ soap: 's', addressing: 'a', wsman: 'w', shell: 'rsp' });

  it('accepts the full document', () => {
    expect(parseXml(valid).name).toBe('Envelope');
  });

  it('refuses every truncation of a valid envelope', () => {
    const accepted: number[] = [];
    const wrongError: string[] = [];
    for (let length = 0; length < valid.length; length++) {
      try {
        parseXml(valid.slice(0, length));
        accepted.push(length);
      } catch (error) {
        if (!(error instanceof ProtocolError)) wrongError.push(`${length}: ${String(error)}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(wrongError).toEqual([]);
  });

  it.each([
    ['an empty string', ''],
    ['whitespace only', '   \n'],
    ['plain text', 'hello'],
    ['an unclosed start tag', '<a'],
    ['an unclosed element', '<a><b></b>'],
    ['crossed tags', '<a><b></a></b>'],
    ['a wrong end tag', '<a></b>'],
    ['an end tag that starts with the element name but is longer', '<a></ab>'],
    ['an end tag naming a longer name with a combining mark', '<a></a\u0301>'],
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a></a>trailing'],
    ['an unquoted attribute', '<a x=1/>'],
    ['an attribute without a value', '<a x/>'],
    ['a stray end tag', '</a>'],
    ['an unterminated comment', '<a><!-- x</a>'],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>'],
    ['a tag name starting with a digit', '<1a/>'],
    ['text after a self-closing root', '<a/>trailing'],
    ['a reference to an undeclared entity', '<a>&foo;</a>'],
    ['a bare & in text', '<a>a & b</a>'],
    ['a bare & in an attribute', '<a x="a & b"/>'],
    ['a reference to character 0', '<a>&#0;</a>'],
    ['a reference to a surrogate', '<a>&#xD800;</a>'],
    ['a reference beyond Unicode', '<a>&#x110000;</a>'],
  ])('refuses %s', (_label, xml) => {
    expectProtocolError(xml);
  });

  it('names the whole end tag that does not match, even when the element name is its prefix', () => {
    expect(() => parseXml('<a></ab>')).toThrow('end tag </ab> does not match <a>');
    expect(() => parseXml('<a></a\u0301>')).toThrow('end tag </a\u0301> does not match <a>');
  });
});

describe('parseXml element names that are JavaScript property names', () => {
  // Parsers that key objects by tag name trip on these; ours keeps names as strings, so each parses
  // under its own name.
  it.each(['constructor', 'prototype', '__proto__', 'hasOwnProperty'])('handles <%s/>', (name) => {
    expect(parseXml(`<${name}/>`).name).toBe(name);
  });

  it('keeps a prefixed name of that kind intact', () => {
    expect(parseXml('<x:constructor xmlns:x="urn:x"/>')).toMatchObject({ ns: 'urn:x', name: 'constructor' });
  });
});

describe('parseXml on random input', () => {
  /** Runs parseXml and reports anything but a tree or a ProtocolError. */
  function misbehaviour(text: string): string | undefined {
    try {
      parseXml(text);
      return undefined;
    } catch (error) {
      return error instanceof ProtocolError ? undefined : `${JSON.stringify(text)} -> ${String(error)}`;
    }
  }

  it('throws nothing but ProtocolError for random bytes decoded as latin1', () => {
    const random = seededRandom(0x5eed);
    const problems: string[] = [];
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.alloc(Math.floor(random() * 200));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      // Every other one starts like a document, so that the parser gets past the first character.
      const text = (i % 2 === 0 ? '<a>' : '') + bytes.toString('latin1');
      const problem = misbehaviour(text);
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });

  it('throws nothing but ProtocolError for random markup-like strings', () => {
    const random = seededRandom(42);
    const alphabet = ['<', '>', '/', ':', '=', '"', "'", '&', ';', '#', '!', '[', ']', '?', '-', ' ', 'a', 'x', 's', 'xmlns', 'CDATA', '\n', '\u0000'];
    const problems: string[] = [];
    for (let i = 0; i < 400; i++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const problem = misbehaviour(i % 2 === 0 ? `<a>${text}</a>` : text);
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });

  it('throws nothing but ProtocolError for randomly mutated envelopes', () => {
    const random = seededRandom(7);
    const valid = envelopeWith({ soap: 's', addressing: 'a', wsman: 'w', shell: 'rsp' });
    const noise = '<>/:="\'&;#![]? xs\u00ff';
    const problems: string[] = [];
    let parsed = 0;
    for (let i = 0; i < 400; i++) {
      const chars = valid.split('');
      const edits = 1 + Math.floor(random() * 3);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(random() * chars.length);
        const c = noise[Math.floor(random() * noise.length)] ?? ' ';
        const op = random();
        if (op < 1 / 3) chars.splice(at, 1);
        else if (op < 2 / 3) chars[at] = c;
        else chars.splice(at, 0, c);
      }
      const text = chars.join('');
      const problem = misbehaviour(text);
      if (problem !== undefined) problems.push(problem);
      else if (find(safeParse(text) ?? { ns: '', name: '', attributes: [], children: [], text: '' }, S('Body')) !== undefined) parsed++;
    }
    expect(problems).toEqual([]);
    // Some mutations land in text and still parse: the loop did exercise the success path too.
    expect(parsed).toBeGreaterThan(0);
  });
});

function safeParse(text: string): XmlElement | undefined {
  try {
    return parseXml(text);
  } catch {
    return undefined;
  }
}

describe('parseXml markup the hand-written parser checks itself', () => {
  it.each([
    ['an XML declaration without a version', '<?xml encoding="utf-8"?><a/>'],
    ['an XML declaration with mismatched quotes', `<?xml version="1.0'?><a/>`],
    ['an XML declaration after a comment', '<!-- c --><?xml version="1.0"?><a/>'],
    ['an XML declaration inside the root', '<a><?xml version="1.0"?></a>'],
    ['attributes with no space between them', '<a x="1"y="2"/>'],
    ['an attribute value without its closing quote', '<a x="1/>'],
    ['an entity named like an Object member', '<a>&constructor;</a>'],
    ['a declaration that is neither comment nor CDATA', '<a><!FOO></a>'],
    ['an end tag with something after its name', '<a></a x>'],
  ])('refuses %s', (_label, xml) => {
    expectProtocolError(xml);
  });

  it('accepts the declaration forms clients send', () => {
    for (const declaration of ['<?xml version="1.0"?>', "<?xml version='1.0' encoding='UTF-8'?>", '<?xml version="1.0" encoding="utf-8" standalone="yes" ?>']) {
      expect(parseXml(`${declaration}\n<a>x</a>`).text).toBe('x');
    }
  });

  it('reads deeply nested elements without running out of stack', () => {
    const depth = 100_000;
    let leaf = parseXml('<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth));
    for (let level = 1; level < depth; level++) leaf = must(leaf, ['', 'a']);
    expect(leaf.text).toBe('x');
  });

  it("keeps ']]>' in text as text, as the parser before it did", () => {
    expect(parseXml('<a>x]]>y</a>').text).toBe('x]]>y');
  });

  it('accepts white space around = and inside the end tag, and single-quoted values', () => {
    const a = parseXml("<a  x = '1'\n\ty=\"2\" ></a >");
    expect(a.attributes.map((x) => x.value)).toEqual(['1', '2']);
  });
});

describe('parseXml characters XML does not allow', () => {
  it.each([
    ['a raw control character', '<a>x\u0001y</a>'],
    ['a raw NUL', '<a>\u0000</a>'],
    ["'<' inside an attribute value", '<a b="1<2"/>'],
  ])('refuses %s', (_what, xml) => {
    expect(() => parseXml(xml)).toThrow(ProtocolError);
  });

  it('leaves the character test to a caller that says it checked (a request checked as bytes)', () => {
    expect(() => parseXml('<a>x\u0001y</a>', { charactersChecked: false })).toThrow(ProtocolError);
    expect(parseXml('<a>x\u0001y</a>', { charactersChecked: true }).text).toBe('x\u0001y');
  });

  it('keeps tab and newline, and folds a raw carriage return into a newline (XML 1.0 section 2.11)', () => {
    expect(parseXml('<a>\t\n\r</a>').text).toBe('\t\n\n');
    expect(parseXml('<a>&#13;</a>').text).toBe('\r');
  });
});
