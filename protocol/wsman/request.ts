import { ProtocolError } from '../protocol-error.js';
import { parseXml, type ParseOptions } from '../xml/parse-xml.js';
import { attributeValue, childElement, type XmlElement } from '../xml/xml-tree.js';
import { parseDurationMs } from './duration.js';
import { WsmanFault } from './fault.js';
import { NS } from './namespaces.js';

/** A decoded WS-Management request: the headers a handler needs, and the body element. */
export interface WsmanRequest {
  /** Undefined only for Identify, which has no addressing headers. */
  readonly action: string | undefined;
  readonly resourceUri: string | undefined;
  readonly messageId: string | undefined;
  readonly to: string | undefined;
  /** w:MaxEnvelopeSize in bytes: the largest response the client accepts. */
  readonly maxEnvelopeBytes: number | undefined;
  readonly operationTimeoutMs: number | undefined;
  /** w:Locale's xml:lang, e.g. en-US. */
  readonly locale: string | undefined;
  /** Selectors by lower-cased name: the spec writes `ShellID`, clients write `ShellId`. */
  readonly selectors: ReadonlyMap<string, string>;
  /** Options by upper-cased name (WINRS_CODEPAGE, ...). */
  readonly options: ReadonlyMap<string, string>;
  /** rsp:CompressionType (xpress) asked for on a Create. */
  readonly compressionType: string | undefined;
  /** The first element inside s:Body, if any. */
  readonly body: XmlElement | undefined;
  readonly isIdentify: boolean;
}

/** [MS-WSMV] 3.1.4.1.7: a MaxEnvelopeSize below this MUST be refused. */
const MIN_MAX_ENVELOPE_BYTES = 8192;

/** Headers winrmd processes; anything else marked mustUnderstand="true" is refused. */
const UNDERSTOOD_HEADERS = new Set([
  `${NS.addressing} Action`,
  `${NS.addressing} To`,
  `${NS.addressing} MessageID`,
  `${NS.addressing} ReplyTo`,
  `${NS.addressing} FaultTo`,
  `${NS.addressing} From`,
  `${NS.wsman} ResourceURI`,
  `${NS.wsman} MaxEnvelopeSize`,
  `${NS.wsman} OperationTimeout`,
  `${NS.wsman} Locale`,
  `${NS.wsman} SelectorSet`,
  `${NS.wsman} OptionSet`,
  `${NS.wsmv} DataLocale`,
  `${NS.wsmv} SessionId`,
  `${NS.wsmv} OperationID`,
  `${NS.wsmv} SequenceId`,
  `${NS.shell} CompressionType`,
]);

/** Parses a request envelope; every failure is the WS-Management fault Windows sends for it. */
export function parseRequest(xml: string, options: ParseOptions = {}): WsmanRequest {
  let root: XmlElement;
  try {
    root = parseXml(xml, options);
  } catch (error) {
    if (error instanceof ProtocolError) throw new WsmanFault('invalidXml', [], error.message);
    throw error;
  }
  if (root.name !== 'Envelope') throw new WsmanFault('schemaValidation', [], 'the root element is not an Envelope');
  if (root.ns !== NS.soap) throw new WsmanFault('versionMismatch', [], `envelope namespace '${root.ns}'`);

  const header = childElement(root, NS.soap, 'Header');
  const bodyElement = childElement(root, NS.soap, 'Body');
  if (bodyElement === undefined) throw new WsmanFault('schemaValidation', [], 'the envelope has no Body');
  const body = bodyElement.children[0];
  const headers = header?.children ?? [];
  const messageId = headerText(headers, NS.addressing, 'MessageID');
  try {
    return decodeHeaders(headers, body, messageId);
  } catch (error) {
    // Even a fault about the headers relates to the request, when it named itself.
    if (error instanceof WsmanFault) error.relatesTo = messageId;
    throw error;
  }
}

function decodeHeaders(headers: readonly XmlElement[], body: XmlElement | undefined, messageId: string | undefined): WsmanRequest {
  const text = (ns: string, name: string): string | undefined => headerText(headers, ns, name);
  const isIdentify = body !== undefined && body.ns === NS.identity && body.name === 'Identify';
  const action = text(NS.addressing, 'Action');
  if (!isIdentify) {
    if (action === undefined) throw new WsmanFault('missingHeader', [], 'no Action header');
    if (messageId === undefined) throw new WsmanFault('missingHeader', [], 'no MessageID header');
    refuseNotUnderstood(headers);
    refuseMustUnderstandLocale(headers);
  }

  return {
    action,
    resourceUri: text(NS.wsman, 'ResourceURI'),
    messageId,
    to: text(NS.addressing, 'To'),
    maxEnvelopeBytes: parseMaxEnvelope(text(NS.wsman, 'MaxEnvelopeSize')),
    operationTimeoutMs: parseOperationTimeout(text(NS.wsman, 'OperationTimeout')),
    locale: headerLang(headers, NS.wsman, 'Locale'),
    selectors: readNamedSet(headers, 'SelectorSet', 'Selector', (n) => n.toLowerCase()),
    options: readNamedSet(headers, 'OptionSet', 'Option', (n) => n.toUpperCase()),
    compressionType: text(NS.shell, 'CompressionType'),
    body,
    isIdentify,
  };
}

function headerText(headers: readonly XmlElement[], ns: string, name: string): string | undefined {
  const element = headers.find((h) => h.ns === ns && h.name === name);
  return element?.text.trim();
}

function headerLang(headers: readonly XmlElement[], ns: string, name: string): string | undefined {
  const element = headers.find((h) => h.ns === ns && h.name === name);
  return element === undefined ? undefined : attributeValue(element, 'lang', NS.xml);
}

function refuseNotUnderstood(headers: readonly XmlElement[]): void {
  for (const h of headers) {
    const flag = attributeValue(h, 'mustUnderstand')?.trim().toLowerCase();
    if ((flag === 'true' || flag === '1') && !UNDERSTOOD_HEADERS.has(`${h.ns} ${h.name}`)) {
      throw new WsmanFault('mustUnderstand', [], `header {${h.ns}}${h.name}`);
    }
  }
}

/**
 * [MS-WSMV] 3.1.4.1.8 and 3.1.4.1.9: a Locale or DataLocale the client insists on (mustUnderstand
 * "true") is refused, since the service only promises to try a locale, falling back to its own.
 */
function refuseMustUnderstandLocale(headers: readonly XmlElement[]): void {
  const checks = [
    { ns: NS.wsman, name: 'Locale', fault: 'localeMustUnderstand' },
    { ns: NS.wsmv, name: 'DataLocale', fault: 'dataLocaleMustUnderstand' },
  ] as const;
  for (const { ns, name, fault } of checks) {
    const element = headers.find((h) => h.ns === ns && h.name === name);
    const flag = element === undefined ? undefined : attributeValue(element, 'mustUnderstand')?.trim().toLowerCase();
    if (flag === 'true' || flag === '1') throw new WsmanFault(fault, [], `${name} with mustUnderstand="true"`);
  }
}

function parseMaxEnvelope(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw)) throw new WsmanFault('invalidHeader', [], `MaxEnvelopeSize '${raw}'`);
  const bytes = Number(raw);
  if (bytes < MIN_MAX_ENVELOPE_BYTES) throw new WsmanFault('maxEnvelopeSizeTooSmall', [], `MaxEnvelopeSize ${bytes}`);
  return bytes;
}

function parseOperationTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  try {
    return parseDurationMs(raw);
  } catch {
    throw new WsmanFault('invalidTimeoutHeader', [raw], `OperationTimeout '${raw}'`);
  }
}

/** SelectorSet/Selector and OptionSet/Option share one shape: Name attribute, text value. */
function readNamedSet(
  headers: readonly XmlElement[],
  setName: string,
  itemName: string,
  normaliseName: (name: string) => string,
): ReadonlyMap<string, string> {
  const result = new Map<string, string>();
  const set = headers.find((h) => h.ns === NS.wsman && h.name === setName);
  if (set === undefined) return result;
  for (const item of set.children) {
    if (item.ns !== NS.wsman || item.name !== itemName) continue;
    const name = attributeValue(item, 'Name');
    if (name === undefined) throw new WsmanFault('invalidHeader', [], `${itemName} without a Name`);
    result.set(normaliseName(name), item.text.trim());
  }
  return result;
}
