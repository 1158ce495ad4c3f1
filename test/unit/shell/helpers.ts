/** Shared fixtures for the shell/ tests: settings, launches, draining commands, watching process groups. */
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

import type { CommandHandle } from '../../../shell/types.js';
import type { CommandLaunch, OutputStreamName, ShellSettings } from '../../../shell/types.js';

export const BOTH: ReadonlySet<OutputStreamName> = new Set(['stdout', 'stderr']);
export const STDOUT: ReadonlySet<OutputStreamName> = new Set(['stdout']);
export const STDERR: ReadonlySet<OutputStreamName> = new Set(['stderr']);

export function settings(overrides: Partial<ShellSettings> = {}): ShellSettings {
  return {
    workingDirectory: tmpdir(),
    environment: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    interpreter: ['/bin/sh', '-c'],
    maxBufferedBytes: 1 << 20,
    ...overrides,
  };
}

/** A command line run through the interpreter, as a plain WinRS Command element would be. */
export function viaShell(commandLine: string): CommandLaunch {
  return { commandLine, executable: commandLine, args: [], skipInterpreter: false };
}

/** An executable started directly, as with WINRS_SKIP_CMD_SHELL. */
export function direct(executable: string, ...args: string[]): CommandLaunch {
  return { commandLine: [executable, ...args].join(' '), executable, args, skipInterpreter: true };
}

export interface Drained {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
  /** How often each stream was reported ended. */
  readonly ends: Readonly<Record<OutputStreamName, number>>;
}

/** Receives until the exit code comes, failing if that takes longer than `timeoutMs`. */
export async function drain(
  command: CommandHandle,
  maxBytes = 1 << 20,
  timeoutMs = 5000,
): Promise<Drained> {
  const parts: Record<OutputStreamName, Buffer[]> = { stdout: [], stderr: [] };
  const ends: Record<OutputStreamName, number> = { stdout: 0, stderr: 0 };
  const deadline = AbortSignal.timeout(timeoutMs);
  for (;;) {
    const output = await command.receive(BOTH, maxBytes, deadline);
    for (const chunk of output.chunks) parts[chunk.stream].push(chunk.data);
    for (const stream of output.endedStreams) ends[stream] += 1;
    // A receive that returns at once with nothing new would spin this loop without ever letting the
    // deadline's timer run, so treat it as the bug it is.
    if (ends.stdout > 1 || ends.stderr > 1) throw new Error(`a stream of ${command.id} ended twice`);
    const { chunks, endedStreams, exitCode } = output;
    if (chunks.length === 0 && endedStreams.length === 0 && exitCode === undefined && !deadline.aborted) {
      throw new Error(`receive on ${command.id} returned nothing without being aborted`);
    }
    if (output.exitCode !== undefined) {
      return {
        stdout: Buffer.concat(parts.stdout),
        stderr: Buffer.concat(parts.stderr),
        exitCode: output.exitCode,
        ends,
      };
    }
    if (deadline.aborted) throw new Error(`command ${command.id} did not finish in ${timeoutMs} ms`);
  }
}

/** Receives stdout until it contains a newline, e.g. a pid the command printed. */
export async function readLine(command: CommandHandle, timeoutMs = 5000): Promise<string> {
  const deadline = AbortSignal.timeout(timeoutMs);
  let text = '';
  while (!text.includes('\n')) {
    const output = await command.receive(STDOUT, 1 << 16, deadline);
    // No data means the deadline passed, or the stream ended, or receive failed to wait: all failures.
    if (output.chunks.length === 0) throw new Error(`no line from command ${command.id}`);
    for (const chunk of output.chunks) text += chunk.data.toString('utf8');
  }
  return text.slice(0, text.indexOf('\n'));
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Whether no living process is left in the group. process.kill(-pgid, 0) throwing ESRCH is the
 * real answer; but where PID 1 does not reap orphans (as in some containers) a killed grandchild
 * lingers as a zombie that still counts as a member, so zombies are accepted as gone.
 */
export function groupIsGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return true;
    throw error;
  }
  return livingMembers(pgid).length === 0;
}

/** Pids in the group that are not zombies, read from /proc. */
export function livingMembers(pgid: number): number[] {
  const living: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z') living.push(Number(entry));
  }
  return living;
}

/** The program a process runs now, from /proc: tells whether a shell has exec'd its command yet. */
export function programOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function processGroupOf(pid: number): number | undefined {
  return readStat(String(pid))?.pgrp;
}

function readStat(pid: string): { state: string; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // The process ended between readdir and read.
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = fields;
  if (state === undefined || pgrp === undefined) return undefined;
  return { state, pgrp: Number(pgrp) };
}
