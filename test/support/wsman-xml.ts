/**
 * Envelope building and parsing for the test client, written from the protocol notes (§6, §7, §8.1,
 * §9) and independent of the server's protocol/ code. Prefixes deliberately differ from the ones
 * Windows uses (env/wsa/wsman/shell instead of s/a/w/rsp) so the server has to match namespace URIs.
 */
import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  wsmv: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  shell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  identity: 'http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd',
} as const;

export const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
export const CMD_RESOURCE_URI = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd';

export const ACTION = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command',
  send: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send',
  receive: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive',
  signal: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal',
} as const;

export const SIGNAL_PREFIX = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/';
export const COMMAND_STATE_DONE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done';
/** ERROR_WSMAN_OPERATION_TIMEDOUT, the Receive long-poll timeout (notes §9). */
export const TIMED_OUT_CODE = 2150858793;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface EnvelopeOptions {
  /** Omitted from the header when undefined (Identify, or the "missing Action" test). */
  action?: string | undefined;
  /** Defaults to the cmd shell resource; `null` omits the header. */
  resourceUri?: string | null;
  selectors?: Record<string, string>;
  options?: Record<string, string>;
  operationTimeout?: string;
  messageId?: string;
  /** Inner XML of the Body, using the prefixes `shell:`, `wsman:`, `ident:` declared on the envelope. */
  body?: string;
  /** Envelope namespace; only the SOAP-version test changes it. */
  envelopeNs?: string;
  /** wsman:MaxEnvelopeSize in bytes; default 153600, pywinrm's. */
  maxEnvelopeSize?: number;
}

export interface Envelope {
  xml: string;
  messageId: string;
}

export function buildEnvelope(opts: EnvelopeOptions): Envelope {
  const messageId = opts.messageId ?? `uuid:${randomUUID().toUpperCase()}`;
  const resourceUri = opts.resourceUri === undefined ? CMD_RESOURCE_URI : opts.resourceUri;
  const header: string[] = [
    `<wsa:To>http://localhost/wsman</wsa:To>`,
    `<wsa:ReplyTo><wsa:Address env:mustUnderstand="true">${ANONYMOUS}</wsa:Address></wsa:ReplyTo>`,
  ];
  if (opts.action !== undefined) header.push(`<wsa:Action env:mustUnderstand="true">${escapeXml(opts.action)}</wsa:Action>`);
  header.push(`<wsa:MessageID>${messageId}</wsa:MessageID>`);
  if (resourceUri !== null) header.push(`<wsman:ResourceURI env:mustUnderstand="true">${escapeXml(resourceUri)}</wsman:ResourceURI>`);
  header.push(
    `<wsman:MaxEnvelopeSize env:mustUnderstand="true">${opts.maxEnvelopeSize ?? 153600}</wsman:MaxEnvelopeSize>`,
    `<wsman:OperationTimeout>${opts.operationTimeout ?? 'PT20S'}</wsman:OperationTimeout>`,
    `<wsman:Locale xml:lang="en-US" env:mustUnderstand="false"/>`,
    `<msft:DataLocale xml:lang="en-US" env:mustUnderstand="false"/>`,
  );
  const selectors = Object.entries(opts.selectors ?? {});
  if (selectors.length > 0) {
    const items = selectors.map(([name, value]) => `<wsman:Selector Name="${escapeXml(name)}">${escapeXml(value)}</wsman:Selector>`);
    header.push(`<wsman:SelectorSet>${items.join('')}</wsman:SelectorSet>`);
  }
  const options = Object.entries(opts.options ?? {});
  if (options.length > 0) {
    const items = options.map(([name, value]) => `<wsman:Option Name="${escapeXml(name)}">${escapeXml(value)}</wsman:Option>`);
    header.push(`<wsman:OptionSet>${items.join('')}</wsman:OptionSet>`);
  }
  const xml =
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<env:Envelope xmlns:env="${opts.envelopeNs ?? NS.soap}" xmlns:wsa="${NS.addressing}" xmlns:wsman="${NS.wsman}"` +
    ` xmlns:msft="${NS.wsmv}" xmlns:shell="${NS.shell}" xmlns:ident="${NS.identity}">` +
    `<env:Header>${header.join('')}</env:Header>` +
    `<env:Body>${opts.body ?? ''}</env:Body>` +
    `</env:Envelope>`;
  return { xml, messageId };
}

export function buildIdentify(): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<env:Envelope xmlns:env="${NS.soap}" xmlns:ident="${NS.identity}">` +
    `<env:Header/><env:Body><ident:Identify/></env:Body></env:Envelope>`
  );
}

// ---- parsing -------------------------------------------------------------------------------

const ALWAYS_ARRAYS = new Set(['Stream', 'Selector', 'SecurityProfileName', 'CommandState', 'Fault']);

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ALWAYS_ARRAYS.has(name),
});

/** Parses a reply body; throws if it is not well-formed XML. Namespace prefixes are dropped. */
export function parseXml(text: string): unknown {
  // The parser itself is lenient (it accepts truncated documents); fast-xml-validator, which replaces
  // this deprecated export, is not a dependency of the project.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`reply is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  return parser.parse(text);
}

function asRecord(node: unknown): Record<string, unknown> | undefined {
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

/** The first child element called `name` (prefix-less). */
export function child(node: unknown, name: string): unknown {
  const value = asRecord(node)?.[name];
  return Array.isArray(value) ? (value as unknown[])[0] : value;
}

/** All child elements called `name`. */
export function children(node: unknown, name: string): unknown[] {
  const value = asRecord(node)?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** Follows a path of child element names. */
export function path(node: unknown, ...names: string[]): unknown {
  return names.reduce<unknown>((current, name) => child(current, name), node);
}

export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const inner = asRecord(node)?.['#text'];
  if (typeof inner === 'string' || typeof inner === 'number') return String(inner);
  return asRecord(node) === undefined ? undefined : '';
}

export function attr(node: unknown, name: string): string | undefined {
  const value = asRecord(node)?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

export interface FaultInfo {
  /** s:Code/s:Value, e.g. `s:Sender`. */
  value: string | undefined;
  /** s:Code/s:Subcode/s:Value, e.g. `w:TimedOut` (prefix as the server wrote it). */
  subcode: string | undefined;
  reason: string | undefined;
  /** s:Detail/f:WSManFault/@Code as a number; undefined if absent or not numeric. */
  code: number | undefined;
  relatesTo: string | undefined;
}

/** Extracts the SOAP 1.2 fault from a parsed reply, or undefined if it holds none. */
export function faultOf(doc: unknown): FaultInfo | undefined {
  const envelope = child(doc, 'Envelope');
  const fault = path(envelope, 'Body', 'Fault');
  if (fault === undefined) return undefined;
  const codeAttr = attr(path(fault, 'Detail', 'WSManFault'), 'Code');
  const code = codeAttr !== undefined && /^\d+$/.test(codeAttr) ? Number(codeAttr) : undefined;
  return {
    value: text(path(fault, 'Code', 'Value')),
    subcode: text(path(fault, 'Code', 'Subcode', 'Value')),
    reason: text(path(fault, 'Reason', 'Text')),
    code,
    relatesTo: text(path(envelope, 'Header', 'RelatesTo')),
  };
}
