/**
 * Reading the events files back (`winrmd events`): the rotated files oldest first, then the
 * current one, each line a record; lines that do not parse (a line torn by a crash) are skipped.
 */
import { closeSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { parseEventRecord, type EventRecord } from './record.js';
import { rotatedPath } from './sinks/rotating-file.js';

export interface EventFilter {
  /** Only these EventIDs; empty means all. */
  readonly ids: ReadonlySet<number>;
  /** Only events at or after this time. */
  readonly since: Date | undefined;
}

export function matches(record: EventRecord, filter: EventFilter): boolean {
  if (filter.ids.size > 0 && !filter.ids.has(record.EventID)) return false;
  if (filter.since !== undefined && Date.parse(record.TimeCreated) < filter.since.getTime()) return false;
  return true;
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Every stored record, oldest first (files beyond `maxFiles` are not looked for); with
 * `newestIndex` 1, only the rotated files, without the one being written.
 */
export function readEvents(path: string, maxFiles: number, newestIndex = 0): EventRecord[] {
  const records: EventRecord[] = [];
  for (let index = Math.max(1, maxFiles) - 1; index >= newestIndex; index--) {
    const text = readIfPresent(rotatedPath(path, index));
    if (text === undefined) continue;
    for (const line of text.split('\n')) {
      const record = line === '' ? undefined : parseEventRecord(line);
      if (record !== undefined) records.push(record);
    }
  }
  return records;
}

/** How much of the file's end is read to find the last record (a record is far smaller). */
const TAIL_BYTES = 256 * 1024;

/** The EventRecordID after the last one in the current file, so that numbering goes on after a restart. */
export function nextRecordId(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 1;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').reverse();
    for (const line of lines) {
      const record = line === '' ? undefined : parseEventRecord(line);
      if (record !== undefined) return record.EventRecordID + 1;
    }
    return 1;
  } finally {
    closeSync(fd);
  }
}
