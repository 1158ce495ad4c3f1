/**
 * Signals for a command's process group. Every command leads its own group (it is spawned
 * detached), so signalling -pid reaches whatever it started in the background as well.
 */
import { constants } from 'node:os';

import type { ShellSignal } from './types.js';

/** What a WinRS signal means on Linux: Ctrl+C and Ctrl+Break become the terminal's INT and QUIT. */
export const SIGNAL_FOR: Readonly<Record<ShellSignal, NodeJS.Signals>> = {
  ctrl_c: 'SIGINT',
  ctrl_break: 'SIGQUIT',
  terminate: 'SIGKILL',
};

/** Sends `signal` to the group led by `pid`; a group that is already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (!isErrno(error, 'ESRCH')) throw error;
  }
}

/**
 * As signalGroup, but while the group does not exist yet (a console command between its start and
 * its setsid(2), see console-stdin.ts) the process itself gets the signal.
 */
export function signalGroupOrLeader(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (!isErrno(error, 'ESRCH')) throw error;
    try {
      process.kill(pid, signal);
    } catch (inner) {
      if (!isErrno(inner, 'ESRCH')) throw inner;
    }
  }
}

/** The shell convention for the status of a process: its exit code, or 128 + the signal that killed it. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : signalNumber(signal);
  return 128 + (number ?? 0);
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  const table: Readonly<Partial<Record<string, number>>> = constants.signals;
  return table[signal];
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
