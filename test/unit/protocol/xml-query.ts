/**
 * Small helpers for the protocol/ and server/ unit tests: walking a parsed XmlElement tree by
 * namespace URI and local name, and reading a fault or an envelope's headers back.
 */
import { parseXml } from '../../../protocol/xml/parse-xml.js';
import type { XmlElement } from '../../../protocol/xml/xml-tree.js';
import { NS } from '../../../protocol/wsman/namespaces.js';

export type Step = readonly [ns: string, name: string];

export const S = (name: string): Step => [NS.soap, name];
export const A = (name: string): Step => [NS.addressing, name];
export const W = (name: string): Step => [NS.wsman, name];
export const N = (name: string): Step => [NS.enumeration, name];
export const X = (name: string): Step => [NS.transfer, name];
export const RSP = (name: string): Step => [NS.shell, name];
export const F = (name: string): Step => [NS.wsmanFault, name];
export const WSMID = (name: string): Step => [NS.identity, name];

function describePath(path: readonly Step[]): string {
  return path.map(([ns, name]) => `{${ns}}${name}`).join('/');
}

/** The first element reached by following `path` from `root` (each step a child), if any. */
export function find(root: XmlElement, ...path: Step[]): XmlElement | undefined {
  let current: XmlElement | undefined = root;
  for (const [ns, name] of path) {
    current = current.children.find((c) => c.ns === ns && c.name === name);
    if (current === undefined) return undefined;
  }
  return current;
}

/** Like find, but a missing element fails the test with the path in the message. */
export function must(root: XmlElement, ...path: Step[]): XmlElement {
  const found = find(root, ...path);
  if (found === undefined) throw new Error(`no element at ${describePath(path)} under {${root.ns}}${root.name}`);
  return found;
}

/** Every element matching the last step, under the first match of the steps before it. */
export function findAll(root: XmlElement, ...path: Step[]): XmlElement[] {
  const last = path.at(-1);
  if (last === undefined) return [root];
  const parent = find(root, ...path.slice(0, -1));
  if (parent === undefined) return [];
  return parent.children.filter((c) => c.ns === last[0] && c.name === last[1]);
}

/** An attribute value by namespace ('' for unqualified) and local name. */
export function attr(element: XmlElement, name: string, ns = ''): string | undefined {
  return element.attributes.find((a) => a.name === name && a.ns === ns)?.value;
}

/** Every element in the tree, depth first, the root included. */
export function descendants(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(descendants)];
}

export interface EnvelopeView {
  readonly root: XmlElement;
  readonly header: XmlElement;
  readonly body: XmlElement;
  readonly action: string | undefined;
  readonly messageId: string | undefined;
  readonly relatesTo: string | undefined;
  readonly to: string | undefined;
  readonly lang: string | undefined;
}

/** Parses a response envelope and reads its addressing headers. */
export function readEnvelope(xml: string): EnvelopeView {
  const root = parseXml(xml);
  if (root.ns !== NS.soap || root.name !== 'Envelope') throw new Error(`not a SOAP 1.2 envelope: {${root.ns}}${root.name}`);
  const header = must(root, S('Header'));
  const text = (step: Step): string | undefined => find(header, step)?.text;
  return {
    root,
    header,
    body: must(root, S('Body')),
    action: text(A('Action')),
    messageId: text(A('MessageID')),
    relatesTo: text(A('RelatesTo')),
    to: text(A('To')),
    lang: attr(root, 'lang', NS.xml),
  };
}

export interface FaultView {
  readonly envelope: EnvelopeView;
  readonly code: string;
  readonly subcode: string | undefined;
  readonly reason: string;
  readonly reasonLang: string | undefined;
  readonly wsmanCode: number;
  readonly machine: string | undefined;
  readonly message: string;
  readonly faultDetail: string | undefined;
  /** f:Message/f:ProviderFault's provider attribute, when the message names a plugin. */
  readonly provider: string | undefined;
}

/** Reads a fault envelope the way pywinrm and pypsrp do. */
export function readFault(xml: string): FaultView {
  const envelope = readEnvelope(xml);
  const fault = must(envelope.body, S('Fault'));
  const wsmanFault = must(fault, S('Detail'), F('WSManFault'));
  const reasonText = must(fault, S('Reason'), S('Text'));
  return {
    envelope,
    code: must(fault, S('Code'), S('Value')).text,
    subcode: find(fault, S('Code'), S('Subcode'), S('Value'))?.text,
    reason: reasonText.text,
    reasonLang: attr(reasonText, 'lang', NS.xml),
    wsmanCode: Number(attr(wsmanFault, 'Code')),
    machine: attr(wsmanFault, 'Machine'),
    // A plugin's fault wraps the text in f:ProviderFault, as pypsrp reads it.
    message: (find(wsmanFault, F('Message'), F('ProviderFault')) ?? must(wsmanFault, F('Message'))).text,
    faultDetail: find(fault, S('Detail'), W('FaultDetail'))?.text,
    provider: attr(find(wsmanFault, F('Message'), F('ProviderFault')) ?? wsmanFault, 'provider'),
  };
}

/** A small deterministic PRNG (mulberry32), so that random-input tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
