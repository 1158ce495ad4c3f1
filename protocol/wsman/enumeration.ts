import { escapeXml } from '../xml/escape.js';
import { childElement, type XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from './fault.js';
import { NS } from './namespaces.js';

/** WS-Enumeration Enumerate with the WS-Management extensions of DSP0226 8.2. */
export interface EnumerateRequest {
  /** w:OptimizeEnumeration: return the first items with the EnumerateResponse. */
  readonly optimize: boolean;
  readonly maxElements: number;
  readonly hasFilter: boolean;
}

/** DSP0226: without MaxElements one item per message. */
const DEFAULT_MAX_ELEMENTS = 1;

export function parseEnumerate(body: XmlElement | undefined): EnumerateRequest {
  if (body?.ns !== NS.enumeration || body.name !== 'Enumerate') {
    throw new WsmanFault('schemaValidation', [], 'expected an n:Enumerate body');
  }
  return {
    optimize: childElement(body, NS.wsman, 'OptimizeEnumeration') !== undefined,
    maxElements: parseMaxElements(childElement(body, NS.wsman, 'MaxElements')),
    hasFilter: childElement(body, NS.wsman, 'Filter') !== undefined || childElement(body, NS.enumeration, 'Filter') !== undefined,
  };
}

export interface PullRequest {
  readonly context: string;
  readonly maxElements: number;
}

export function parsePull(body: XmlElement | undefined): PullRequest {
  if (body?.ns !== NS.enumeration || body.name !== 'Pull') throw new WsmanFault('schemaValidation', [], 'expected an n:Pull body');
  return { context: readContext(body), maxElements: parseMaxElements(childElement(body, NS.enumeration, 'MaxElements')) };
}

export function parseRelease(body: XmlElement | undefined): string {
  if (body?.ns !== NS.enumeration || body.name !== 'Release') throw new WsmanFault('schemaValidation', [], 'expected an n:Release body');
  return readContext(body);
}

function readContext(body: XmlElement): string {
  const context = childElement(body, NS.enumeration, 'EnumerationContext')?.text.trim();
  if (context === undefined || context === '') throw new WsmanFault('invalidEnumerationContext', [], 'no EnumerationContext');
  return context;
}

function parseMaxElements(element: XmlElement | undefined): number {
  if (element === undefined) return DEFAULT_MAX_ELEMENTS;
  const text = element.text.trim();
  if (!/^\d{1,9}$/.test(text) || Number(text) === 0) throw new WsmanFault('invalidParameter', [], `MaxElements '${text}'`);
  return Number(text);
}

/**
 * EnumerateResponse. Optimized replies carry items as w:Items and w:EndOfSequence (DSP0226 8.2.3).
 * Windows always writes n:EnumerationContext, empty once the sequence has ended, and leaves w:Items
 * out when there is nothing to list (recorded: jborean93/pypsrp
 * tests/tests_pypsrp/responses/test_psrp_disconnect_runspaces.yml, an optimized Enumerate of the
 * shell resource answered with two shells, and a filtered one answered with none).
 */
export function writeEnumerateResponse(context: string | undefined, optimizedItems: readonly string[] | undefined): string {
  const ctx = `<n:EnumerationContext>${context === undefined ? '' : escapeXml(context)}</n:EnumerationContext>`;
  if (optimizedItems === undefined) return `<n:EnumerateResponse>${ctx}</n:EnumerateResponse>`;
  const items = optimizedItems.length === 0 ? '' : `<w:Items>${optimizedItems.join('')}</w:Items>`;
  const end = context === undefined ? '<w:EndOfSequence/>' : '';
  return `<n:EnumerateResponse>${ctx}${items}${end}</n:EnumerateResponse>`;
}

/** PullResponse uses n:Items and n:EndOfSequence (DSP0226 8.4). */
export function writePullResponse(context: string | undefined, items: readonly string[]): string {
  const ctx = context === undefined ? '' : `<n:EnumerationContext>${escapeXml(context)}</n:EnumerationContext>`;
  const end = context === undefined ? '<n:EndOfSequence/>' : '';
  return `<n:PullResponse>${ctx}<n:Items>${items.join('')}</n:Items>${end}</n:PullResponse>`;
}

export function writeReleaseResponse(): string {
  return '';
}
