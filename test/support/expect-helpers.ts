/** Small helpers shared by the integration tests. */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { WsmanFaultError } from './wsman-client.js';

/** Awaits a promise that must reject and returns the rejection as a WsmanFaultError. */
export async function expectWsmanFault(promise: Promise<unknown>): Promise<WsmanFaultError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WsmanFaultError) return err;
    throw new Error(`expected a WS-Man fault, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a WS-Man fault, but the request succeeded');
}

/** True while the process exists and is not a zombie (an unreaped zombie has already ended). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 is the state; the command name before it is in parentheses and may hold spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls until `check` returns true or `ms` elapse; returns the last result. */
export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

/** Lines that show a reply leaked server internals: a JS stack trace, a Node error, a source path. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /^\s{2,}at \S/m,
  /node:internal/,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|AssertionError)\b/,
  /Cannot read propert/,
  /is not a function/,
  /\bERR_[A-Z_]{3,}\b/,
  /\.(ts|js|mjs):\d+/,
];

export function leaks(body: string): RegExp[] {
  return LEAK_PATTERNS.filter((pattern) => pattern.test(body));
}
