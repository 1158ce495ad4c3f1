/**
 * Structural comparison of a reply with a golden fixture: element names with their namespaces,
 * attribute names (and values), the order of children, and text, element by element. Namespace
 * declarations and prefixes do not count (clients resolve names by URI), nor does whitespace
 * between elements. Values that differ from one reply to the next are written in the fixture as
 * placeholders:
 *
 *   {uuid}      a GUID, with or without `uuid:`, any case (MessageIDs, ShellIds, CommandIds)
 *   {duration}  an xs:duration (shell run and idle times)
 *   {base64}    base64 data (stream contents)
 *   {host}      any non-empty text (machine names, addresses, client IPs, owners)
 *   *           anything, empty included
 */
import { parseXml } from '../../protocol/xml/parse-xml.js';
import type { XmlElement } from '../../protocol/xml/xml-tree.js';

export interface Difference {
  /** Where, as a path of {namespace}name steps with sibling indexes. */
  readonly at: string;
  readonly problem: string;
}

const PLACEHOLDERS: Readonly<Record<string, RegExp>> = {
  '{uuid}': /^(uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  '{duration}': /^-?P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
  '{base64}': /^[A-Za-z0-9+/]*={0,2}$/,
  '{host}': /\S/,
  '*': /^/,
};

/** Whether an actual value matches the fixture's value (literal, or a placeholder). */
export function valueMatches(expected: string, actual: string): boolean {
  const pattern = PLACEHOLDERS[expected.trim()];
  return pattern === undefined ? expected === actual : pattern.test(actual.trim());
}

/** Every structural difference between the fixture's document and the reply's; none when they match. */
export function compareStructure(expectedXml: string, actualXml: string): Difference[] {
  const differences: Difference[] = [];
  compareElement(parseXml(expectedXml), parseXml(actualXml), '', differences);
  return differences;
}

function nameOf(element: XmlElement): string {
  return `{${element.ns}}${element.name}`;
}

function compareElement(expected: XmlElement, actual: XmlElement, parentPath: string, out: Difference[]): void {
  const at = `${parentPath}/${nameOf(expected)}`;
  if (nameOf(expected) !== nameOf(actual)) {
    out.push({ at, problem: `element is ${nameOf(actual)}` });
    return;
  }
  compareAttributes(expected, actual, at, out);
  if (expected.children.length === 0 && actual.children.length === 0) {
    if (!valueMatches(expected.text, actual.text)) out.push({ at, problem: `text ${JSON.stringify(actual.text)}, expected ${JSON.stringify(expected.text)}` });
    return;
  }
  // Mixed content does not occur in WS-Management replies: text beside children is layout.
  const expectedNames = expected.children.map(nameOf);
  const actualNames = actual.children.map(nameOf);
  if (expectedNames.join(' ') !== actualNames.join(' ')) {
    out.push({ at, problem: `children [${actualNames.join(', ')}], expected [${expectedNames.join(', ')}]` });
    return;
  }
  expected.children.forEach((child, index) => {
    const actualChild = actual.children[index];
    if (actualChild !== undefined) compareElement(child, actualChild, `${at}[${index}]`, out);
  });
}

function compareAttributes(expected: XmlElement, actual: XmlElement, at: string, out: Difference[]): void {
  const key = (a: { ns: string; name: string }): string => `{${a.ns}}${a.name}`;
  const expectedKeys = expected.attributes.map(key).sort();
  const actualKeys = actual.attributes.map(key).sort();
  if (expectedKeys.join(' ') !== actualKeys.join(' ')) {
    out.push({ at, problem: `attributes [${actualKeys.join(', ')}], expected [${expectedKeys.join(', ')}]` });
    return;
  }
  for (const attribute of expected.attributes) {
    const value = actual.attributes.find((a) => key(a) === key(attribute))?.value ?? '';
    if (!valueMatches(attribute.value, value)) out.push({ at: `${at}@${key(attribute)}`, problem: `value ${JSON.stringify(value)}, expected ${JSON.stringify(attribute.value)}` });
  }
}
