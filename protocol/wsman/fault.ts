import { escapeXml } from '../xml/escape.js';
import { FAULT_ACTION } from './actions.js';
import { FAULTS, type FaultName, type FaultSpec } from './fault-catalogue.js';
import { translationFor } from './fault-language.js';
import { NS } from './namespaces.js';

/**
 * A WS-Management fault on its way to the client. Thrown by handlers and parsers' callers; the
 * server turns it into an HTTP 500 SOAP fault. Only catalogue entries can be thrown.
 */
export class WsmanFault extends Error {
  override readonly name = 'WsmanFault';
  readonly spec: FaultSpec;
  /** The request's MessageID, when the fault was found before the request was fully decoded. */
  relatesTo: string | undefined;

  /** `args` fill the catalogue message's {0}, {1}... placeholders (a ShellId, a quota). */
  constructor(
    readonly fault: FaultName,
    readonly args: readonly string[] = [],
    /** Extra detail for our own log, never sent to the client. */
    readonly logDetail?: string,
  ) {
    const spec: FaultSpec = FAULTS[fault];
    super(fillPlaceholders(spec.message, args));
    this.spec = spec;
    this.relatesTo = undefined;
  }
}

function fillPlaceholders(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}

export function faultAction(spec: FaultSpec): string {
  if (spec.subcode?.startsWith('a:') === true) return FAULT_ACTION.addressing;
  if (spec.subcode?.startsWith('n:') === true) return FAULT_ACTION.enumeration;
  return FAULT_ACTION.wsman;
}

/** A fault's texts in one language: what s:Reason and f:Message say, and xml:lang for both. */
export interface FaultTexts {
  readonly lang: string;
  readonly reason: string;
  readonly message: string;
}

/** The texts of `fault` in the language `locale` asks for, when we have it; else en-US. */
export function faultTexts(fault: WsmanFault, locale: string | undefined): FaultTexts {
  const { lang, texts } = translationFor(fault.fault, locale);
  const message = texts === undefined ? fault.message : fillPlaceholders(texts.message, fault.args);
  const reasonTemplate = texts === undefined ? fault.spec.reason : (texts.reason ?? undefined);
  return { lang, message, reason: reasonTemplate === undefined ? message : fillPlaceholders(reasonTemplate, fault.args) };
}

/** The plugin that raised a fault, as Windows names it in f:ProviderFault. */
export interface FaultProvider {
  readonly name: string;
  readonly path: string;
}

export interface FaultWriting {
  readonly machine: string;
  readonly texts: FaultTexts;
  /** The plugin of the request's resource, for faults the plugin raises (FaultSpec.fromPlugin). */
  readonly provider?: FaultProvider | undefined;
}

/**
 * The s:Fault element of a fault, in the shape Windows writes and pywinrm, pypsrp and WinRb parse:
 * Code (and Subcode), Reason, then Detail with w:FaultDetail first and f:WSManFault after it.
 */
export function writeFaultBody(fault: WsmanFault, writing: FaultWriting): string {
  const { spec } = fault;
  const { texts, machine } = writing;
  const message = escapeXml(texts.message);
  const subcode = spec.subcode === undefined ? '' : `<s:Subcode><s:Value>${spec.subcode}</s:Value></s:Subcode>`;
  const detail = spec.faultDetail === undefined ? '' : `<w:FaultDetail>${spec.faultDetail}</w:FaultDetail>`;
  const provider = spec.fromPlugin === true ? writing.provider : undefined;
  const messageContent =
    provider === undefined
      ? message
      : `<f:ProviderFault provider="${escapeXml(provider.name)}" path="${escapeXml(provider.path)}">${message}</f:ProviderFault>`;
  return (
    `<s:Fault><s:Code><s:Value>s:${spec.code}</s:Value>${subcode}</s:Code>` +
    `<s:Reason><s:Text xml:lang="${escapeXml(texts.lang)}">${escapeXml(texts.reason)}</s:Text></s:Reason>` +
    `<s:Detail>${detail}<f:WSManFault xmlns:f="${NS.wsmanFault}" Code="${spec.wsmanCode}" Machine="${escapeXml(machine)}">` +
    `<f:Message>${messageContent}</f:Message></f:WSManFault></s:Detail></s:Fault>`
  );
}
