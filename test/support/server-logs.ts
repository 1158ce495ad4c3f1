/**
 * Reads the server's pino JSON lines (RunningServer.logs()) as records, for tests that check what
 * the server decided and why. A client may see its reply before the server's log line reaches us,
 * so waitForLog polls.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningServer } from './server-process.js';

export type LogRecord = Record<string, unknown>;

export function parseLogLine(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as LogRecord;
}

/** The JSON records among the server's lines, from line index `since` on. */
export function logRecords(server: RunningServer, since = 0): LogRecord[] {
  return server.logs().slice(since).flatMap((line): LogRecord[] => {
    const record = parseLogLine(line);
    return record === undefined ? [] : [record];
  });
}

/** Waits (up to `timeoutMs`) for a record from line `since` on that matches; throws with the log otherwise. */
export async function waitForLog(server: RunningServer, match: (record: LogRecord) => boolean, since = 0, timeoutMs = 3_000): Promise<LogRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logRecords(server, since).find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no matching server log line; the log since then:\n${server.logs().slice(since).join('\n')}`);
    await sleep(50);
  }
}
