/**
 * One event as winrmd stores it: the identity Windows gives the same event (System part of the
 * event XML), its EventData with Windows' field names, and our own correlation fields, which Windows
 * has no place for and which therefore live apart from EventData.
 */

/** winrmd's own fields: they correlate events (Windows has only an ActivityID) or say what Windows' fields cannot. */
export interface WinrmdFields {
  /** Our id of the TCP/TLS connection; also written as the XML Correlation ActivityID. */
  readonly ConnectionId?: string;
  readonly ShellId?: string;
  readonly CommandId?: string;
  /** For 5157: the firewall rule or Service filter that refused the connection, and the network profile. */
  readonly Rule?: string;
  readonly Profile?: string;
}

export interface EventRecord {
  /** ISO 8601 UTC with milliseconds. */
  readonly TimeCreated: string;
  readonly EventRecordID: number;
  readonly Channel: string;
  readonly Provider: string;
  readonly ProviderGuid: string;
  readonly EventID: number;
  readonly Version: number;
  /** Windows' level: 0 LogAlways (audit events), 2 Error, 3 Warning, 4 Information. */
  readonly Level: number;
  readonly Task: number;
  readonly Opcode: number;
  readonly Keywords: string;
  readonly Computer: string;
  /** The process that wrote it (winrmd), as the XML's Execution ProcessID. */
  readonly ProcessID: number;
  /** The message rendered from Windows' template, for people reading the file. */
  readonly Message: string;
  /** Every value a string, as in Windows' event XML. */
  readonly EventData: Readonly<Record<string, string>>;
  readonly Winrmd: WinrmdFields;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Reads one stored line back; undefined for anything that is not a record (a torn last line, say). */
export function parseEventRecord(line: string): EventRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const numbers = ['EventRecordID', 'EventID', 'Version', 'Level', 'Task', 'Opcode', 'ProcessID'];
  const strings = ['TimeCreated', 'Channel', 'Provider', 'ProviderGuid', 'Keywords', 'Computer', 'Message'];
  if (!numbers.every((k) => typeof v[k] === 'number') || !strings.every((k) => typeof v[k] === 'string')) return undefined;
  if (!isStringRecord(v['EventData']) || !isStringRecord(v['Winrmd'])) return undefined;
  return value as EventRecord;
}
