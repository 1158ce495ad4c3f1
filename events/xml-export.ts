/**
 * Windows event XML (the `<Event xmlns=".../win/2004/08/events/event">` form that Get-WinEvent's
 * ToXml(), wevtutil and Event Viewer's "Save as XML" produce), for tools that read that.
 *
 * Our correlation fields have no place in Windows' schema: the connection id becomes the
 * Correlation ActivityID (a GUID, as WinRM uses it), and every winrmd field goes in a
 * `<Winrmd>` element of its own namespace after EventData, which readers of the standard
 * elements skip.
 */
import { NON_XML_CHARACTERS } from '../protocol/xml/xml-chars.js';
import type { EventRecord } from './record.js';

export const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
export const WINRMD_NS = 'urn:winrmd:events';


function escapeText(value: string): string {
  // XML 1.0 cannot carry most control characters at all; Windows drops them too.
  const clean = value.replace(NON_XML_CHARACTERS, '');
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Windows writes 100 ns ticks: seven decimal places. */
export function systemTime(iso: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (match === null) return iso;
  return `${match[1] ?? ''}.${(match[2] ?? '').padEnd(7, '0').slice(0, 7)}Z`;
}

export function eventXml(record: EventRecord, indent = ''): string {
  const i1 = `${indent}  `;
  const i2 = `${indent}    `;
  const activity = record.Winrmd.ConnectionId;
  const lines = [
    `${indent}<Event xmlns="${EVENT_NS}">`,
    `${i1}<System>`,
    `${i2}<Provider Name="${escapeAttribute(record.Provider)}" Guid="${escapeAttribute(record.ProviderGuid)}"/>`,
    `${i2}<EventID>${record.EventID}</EventID>`,
    `${i2}<Version>${record.Version}</Version>`,
    `${i2}<Level>${record.Level}</Level>`,
    `${i2}<Task>${record.Task}</Task>`,
    `${i2}<Opcode>${record.Opcode}</Opcode>`,
    `${i2}<Keywords>${escapeText(record.Keywords)}</Keywords>`,
    `${i2}<TimeCreated SystemTime="${escapeAttribute(systemTime(record.TimeCreated))}"/>`,
    `${i2}<EventRecordID>${record.EventRecordID}</EventRecordID>`,
    activity === undefined ? `${i2}<Correlation/>` : `${i2}<Correlation ActivityID="{${escapeAttribute(activity.toUpperCase())}}"/>`,
    `${i2}<Execution ProcessID="${record.ProcessID}" ThreadID="0"/>`,
    `${i2}<Channel>${escapeText(record.Channel)}</Channel>`,
    `${i2}<Computer>${escapeText(record.Computer)}</Computer>`,
    `${i2}<Security/>`,
    `${i1}</System>`,
    `${i1}<EventData>`,
    ...Object.entries(record.EventData).map(([name, value]) =>
      value === '' ? `${i2}<Data Name="${escapeAttribute(name)}"/>` : `${i2}<Data Name="${escapeAttribute(name)}">${escapeText(value)}</Data>`,
    ),
    `${i1}</EventData>`,
  ];
  const own = Object.entries(record.Winrmd).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(entry[0]));
  if (own.length > 0) {
    lines.push(`${i1}<Winrmd xmlns="${WINRMD_NS}">`, ...own.map(([name, value]) => `${i2}<${name}>${escapeText(value)}</${name}>`), `${i1}</Winrmd>`);
  }
  lines.push(`${indent}</Event>`);
  return lines.join('\n');
}

/** A whole export, as Event Viewer saves one: the events inside an <Events> root. */
export function eventsDocument(records: readonly EventRecord[]): string {
  return ['<?xml version="1.0" encoding="utf-8" standalone="yes"?>', '<Events>', ...records.map((r) => eventXml(r, '  ')), '</Events>', ''].join('\n');
}
