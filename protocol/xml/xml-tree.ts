/**
 * A namespace-resolved XML element. Clients choose their own prefixes (pywinrm `env:`, pypsrp
 * `s:`, ...), so everything downstream matches on namespace URI and local name, never on prefix.
 */
export interface XmlElement {
  /** Namespace URI; '' when the element is in no namespace. */
  readonly ns: string;
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own character data (not its descendants'), entities decoded, untrimmed. */
  readonly text: string;
}

export interface XmlAttribute {
  readonly ns: string;
  readonly name: string;
  readonly value: string;
}

export function childElement(parent: XmlElement, ns: string, name: string): XmlElement | undefined {
  return parent.children.find((c) => c.ns === ns && c.name === name);
}

export function childElements(parent: XmlElement, ns: string, name: string): XmlElement[] {
  return parent.children.filter((c) => c.ns === ns && c.name === name);
}

/**
 * An attribute by local name. Attributes are usually unqualified, but some clients qualify them
 * (pywinrm writes `s:mustUnderstand` with no prefix through xmltodict), so a namespace is optional.
 */
export function attributeValue(element: XmlElement, name: string, ns?: string): string | undefined {
  const found = element.attributes.find((a) => a.name === name && (ns === undefined || a.ns === ns || a.ns === ''));
  return found?.value;
}

/** Local names compared without regard to case, for the names Windows itself treats that way. */
export function attributeValueIgnoringCase(element: XmlElement, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return element.attributes.find((a) => a.name.toLowerCase() === wanted)?.value;
}
