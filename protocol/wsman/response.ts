import { escapeXml } from '../xml/escape.js';
import { ReplyText, type EnvelopeText } from '../xml/reply-text.js';
import { ANONYMOUS_ADDRESS, PREFIX_DECLARATIONS } from './namespaces.js';

export interface EnvelopeHeader {
  /** Absent for Identify, whose response carries no addressing headers. */
  readonly action?: string | undefined;
  readonly messageId?: string | undefined;
  readonly relatesTo?: string | undefined;
  /**
   * xml:lang of the envelope; Windows writes the request's Locale, en-US by default. Undefined
   * writes none, as Windows' Identify replies have none.
   */
  readonly lang: string | undefined;
}

const NAMESPACE_ATTRIBUTES = Object.entries(PREFIX_DECLARATIONS)
  .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
  .join('');

/**
 * Builds a SOAP 1.2 envelope around an already-serialised body, with the addressing headers every
 * WS-Management response has: Action, a MessageID of its own, To anonymous and RelatesTo.
 */
export function writeEnvelope(header: EnvelopeHeader, bodyXml: string): string {
  return `${envelopeHead(header)}${bodyXml}${ENVELOPE_TAIL}`;
}

/** The same, for a body that may keep base64 as bytes (reply-text.ts). */
export function writeEnvelopeText(header: EnvelopeHeader, body: EnvelopeText): EnvelopeText {
  return typeof body === 'string' ? writeEnvelope(header, body) : ReplyText.join([envelopeHead(header), body, ENVELOPE_TAIL]);
}

const ENVELOPE_TAIL = '</s:Body></s:Envelope>';

function envelopeHead(header: EnvelopeHeader): string {
  const headers: string[] = [];
  if (header.action !== undefined) headers.push(`<a:Action>${escapeXml(header.action)}</a:Action>`);
  if (header.messageId !== undefined) headers.push(`<a:MessageID>${escapeXml(header.messageId)}</a:MessageID>`);
  if (header.action !== undefined) headers.push(`<a:To>${ANONYMOUS_ADDRESS}</a:To>`);
  if (header.relatesTo !== undefined) headers.push(`<a:RelatesTo>${escapeXml(header.relatesTo)}</a:RelatesTo>`);
  return (
    `<s:Envelope${header.lang === undefined ? '' : ` xml:lang="${escapeXml(header.lang)}"`}${NAMESPACE_ATTRIBUTES}>` +
    `<s:Header>${headers.join('')}</s:Header><s:Body>`
  );
}
