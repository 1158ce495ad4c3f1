import { escapeXml } from '../xml/escape.js';
import { FAULT_ACTION } from './actions.js';
import { FAULTS, type FaultName, type FaultSpec } from './fault-catalogue.js';
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
    args: readonly string[] = [],
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

/** The s:Fault element of a fault, in the shape pywinrm, pypsrp and WinRb parse. */
export function writeFaultBody(fault: WsmanFault, machine: string, lang: string): string {
  const { spec } = fault;
  const message = escapeXml(fault.message);
  const subcode = spec.subcode === undefined ? '' : `<s:Subcode><s:Value>${spec.subcode}</s:Value></s:Subcode>`;
  const detail = spec.faultDetail === undefined ? '' : `<w:FaultDetail>${spec.faultDetail}</w:FaultDetail>`;
  return (
    `<s:Fault><s:Code><s:Value>s:${spec.code}</s:Value>${subcode}</s:Code>` +
    `<s:Reason><s:Text xml:lang="${escapeXml(lang)}">${message}</s:Text></s:Reason>` +
    `<s:Detail><f:WSManFault xmlns:f="${NS.wsmanFault}" Code="${spec.wsmanCode}" Machine="${escapeXml(machine)}">` +
    `<f:Message>${message}</f:Message></f:WSManFault>${detail}</s:Detail></s:Fault>`
  );
}
