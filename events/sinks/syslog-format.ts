/**
 * RFC 5424 syslog messages for events. Security-channel events go to facility authpriv (10), the
 * others to daemon (3). The structured data element names the Windows identity (the SD-ID uses
 * 32473, the enterprise number RFC 5612 reserves for documentation, as winrmd has none of its own);
 * the MSG is the JSON record, which collectors can parse whole.
 */
import { hostname } from 'node:os';
import type { EventRecord } from '../record.js';

const FACILITY_DAEMON = 3;
const FACILITY_AUTHPRIV = 10;
const SD_ID = 'winevent@32473';

/** Windows' level to syslog's severity; audit events (level 0) by their success or failure keyword. */
function severityOf(record: EventRecord): number {
  switch (record.Level) {
    case 1:
      return 2; // critical
    case 2:
      return 3; // error
    case 3:
      return 4; // warning
    case 0:
      return record.Keywords === '0x8010000000000000' ? 4 : 5; // audit failure: warning; success: notice
    default:
      return 6; // informational
  }
}

/** RFC 5424 6.3.3: '"', '\' and ']' are escaped in a PARAM-VALUE. */
function paramValue(value: string | number): string {
  return String(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** RFC 5424 header fields are printable US-ASCII without spaces; '-' stands for none. */
function headerField(value: string, maxLength: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, maxLength);
  return clean === '' ? '-' : clean;
}

export function formatSyslog(record: EventRecord, pid: number = process.pid, host: string = hostname()): string {
  const facility = record.Channel === 'Security' ? FACILITY_AUTHPRIV : FACILITY_DAEMON;
  const priority = facility * 8 + severityOf(record);
  const params = [
    ['Channel', record.Channel],
    ['Provider', record.Provider],
    ['EventID', record.EventID],
    ['EventRecordID', record.EventRecordID],
    ['Computer', record.Computer],
  ] as const;
  const data = `[${SD_ID} ${params.map(([name, value]) => `${name}="${paramValue(value)}"`).join(' ')}]`;
  const header = [
    `<${priority}>1`,
    record.TimeCreated,
    headerField(host, 255),
    'winrmd',
    headerField(String(pid), 128),
    headerField(String(record.EventID), 32),
  ].join(' ');
  return `${header} ${data} ${JSON.stringify(record)}`;
}
