/**
 * Console stdin (WINRS_CONSOLEMODE_STDIN=TRUE): the command's stdin is the slave side of a
 * pseudo-terminal that is also its controlling terminal, while stdout and stderr stay pipes.
 *
 * Why stdin only: on Windows the console mode concerns stdin alone. pywinrm's run_command and Go's
 * masterzen/winrm ask for a console on every Command, and their stdout and stderr still arrive as
 * two separate streams from a Windows host; Ansible turns the console off exactly when it pipes data
 * into stdin, because console input is line-oriented text. So a console command here gets a
 * terminal to read from (`[ -t 0 ]` is true, the line discipline edits lines, Ctrl+C arrives as the
 * interrupt character and the terminal signals the foreground process group, as a console's Ctrl+C
 * does), and its output is exactly what it writes to stdout and stderr, kept apart.
 *
 * What the command writes to the terminal itself (the line discipline's echo of the input, a
 * prompt written to /dev/tty) is read from the master and discarded: a Windows console's screen is
 * not part of WinRS's streams either, and the echo would repeat the client's own input.
 */
import { closeSync, openSync, readFileSync, write as fsWrite } from 'node:fs';
import { ReadStream } from 'node:tty';
import { spawn, type StdioOptions } from 'node:child_process';

import type { CommandInput } from './command-input.js';
import { isErrno } from './process-group.js';
import { CommandLaunchError, StdinClosedError } from './errors.js';
import { openPseudoTerminal, resizePseudoTerminal, type PseudoTerminal, type TerminalSize } from './pseudo-terminal.js';
import { findEnv, findSetsid, findStty } from './system-programs.js';

/** The size of a Windows console window, used unless the shell's environment gives COLUMNS and LINES. */
export const DEFAULT_CONSOLE_SIZE: TerminalSize = { cols: 80, rows: 25 };

/** The terminal's default control characters (termios c_cc; the kernel's defaults for a new pty). */
const INTERRUPT = 0x03; // VINTR, ^C
const END_OF_FILE = 0x04; // VEOF, ^D
const LINE_FEED = 0x0a;

/**
 * Changes to the kernel's default modes of a new terminal (stty(1) syntax). -icrnl: a carriage
 * return stays a carriage return, so text sent with Windows line ends (CR LF) reaches the command
 * as it would through a pipe, rather than as two line ends. iutf8: erasing a character erases a
 * whole UTF-8 sequence (WINRS_CODEPAGE 65001, what clients send). Everything else is a terminal's
 * usual: canonical lines, echo, ISIG, and ^C, ^D, ^Z, ^\ as the control characters.
 */
export const TERMINAL_MODES: readonly string[] = ['-icrnl', 'iutf8'];

/** Back-off while the terminal's input queue is full (the command is not reading). */
const FIRST_RETRY_MS = 1;
const LONGEST_RETRY_MS = 50;

/**
 * Master descriptors of the consoles open now. node-pty's binding opens them without
 * close-on-exec, so every command started meanwhile would inherit them and could type into another
 * user's console; stdioFor() covers them in each child.
 */
const openMasters = new Set<number>();
let devNullFd: number | undefined;

/**
 * The stdio of a command's spawn: stdin (a pipe, or a console's slave), pipes for stdout and
 * stderr, and /dev/null over every console master descriptor, so no command inherits one.
 */
export function stdioFor(stdin: 'pipe' | number, output: 'pipe' | 'ignore' = 'pipe'): StdioOptions {
  return stdioArray(stdin, output);
}

type StdioEntry = number | 'pipe' | 'ignore';

function stdioArray(stdin: 'pipe' | number, output: 'pipe' | 'ignore'): StdioEntry[] {
  const stdio: StdioEntry[] = [stdin, output, output];
  if (openMasters.size === 0) return stdio;
  // Opened once and kept: close-on-exec in winrmd, dup2()ed over the master numbers in the child.
  devNullFd ??= openSync('/dev/null', 'r');
  for (const fd of openMasters) {
    while (stdio.length <= fd) stdio.push('ignore');
    stdio[fd] = devNullFd;
  }
  return stdio;
}

/**
 * stdioFor(stdin) with one more pipe, at the first descriptor number from 3 on that no console
 * master takes: where a standby process (standby-process.ts) reads its command line.
 */
export function stdioWithExtraPipe(stdin: 'pipe' | number): { stdio: StdioOptions; extraFd: number } {
  const stdio = stdioArray(stdin, 'pipe');
  let extraFd = 3;
  while (openMasters.has(extraFd)) extraFd += 1;
  while (stdio.length <= extraFd) stdio.push('ignore');
  stdio[extraFd] = 'pipe';
  return { stdio, extraFd };
}

/** The console size: the shell's COLUMNS and LINES when both are sensible numbers, else 80x25. */
export function consoleSize(environment: Readonly<Record<string, string>>): TerminalSize {
  const cols = dimension(environment['COLUMNS']);
  const rows = dimension(environment['LINES']);
  return cols !== undefined && rows !== undefined ? { cols, rows } : DEFAULT_CONSOLE_SIZE;
}

function dimension(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,4}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 && number <= 9999 ? number : undefined;
}

export class ConsoleInput implements CommandInput {
  private readonly terminal: PseudoTerminal;
  /** Reads the master so the command never blocks on a full output queue; the data is discarded. */
  private readonly reader: ReadStream;
  /** The slave descriptor winrmd keeps until close(), so the master never reads EIO (see close()). */
  private slaveFd: number | undefined;
  /** Writes in the order they were asked for; each waits for the one before. */
  private queue: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private ended = false;
  private closed = false;
  /** Whether the next byte starts a line: where one ^D means EOF. */
  private atLineStart = true;

  private constructor(
    private commandId: string,
    terminal: PseudoTerminal,
  ) {
    this.terminal = terminal;
    this.slaveFd = terminal.slaveFd;
    openMasters.add(terminal.masterFd);
    this.reader = new ReadStream(terminal.masterFd);
    this.reader.on('error', () => undefined);
    this.reader.on('data', () => undefined);
  }

  /**
   * A console of `size` with the kernel's default modes: for a process that runs stty on it itself
   * before anything reads it (standby-process.ts), sparing this process a fork.
   */
  static openWithKernelModes(commandId: string, size: TerminalSize): ConsoleInput {
    return new ConsoleInput(commandId, openPseudoTerminal(size));
  }

  /** A console of `size`, its line discipline set up as TERMINAL_MODES says. */
  static async open(commandId: string, size: TerminalSize): Promise<ConsoleInput> {
    const input = new ConsoleInput(commandId, openPseudoTerminal(size));
    try {
      await setTerminalModes(input.stdin);
    } catch (error) {
      input.close();
      throw error;
    }
    return input;
  }

  /**
   * Hands a console made ready in advance (console-pool.ts) to its command: the command's id for
   * errors, and the size it asked for.
   */
  assign(commandId: string, size: TerminalSize): void {
    this.commandId = commandId;
    resizePseudoTerminal(this.terminal, size);
  }

  /**
   * Input (and EOF, and Ctrl+C as a character) written from now on waits for `ready`: a standby
   * sets its terminal's modes itself (standby-process.ts), and the line discipline applies them to
   * input as it arrives, so input written before would be taken with the kernel's defaults.
   */
  holdInputUntil(ready: Promise<unknown>): void {
    // The queue never rejects (enqueue keeps only its settled state); `ready` might.
    this.queue = this.queue.then(() => ready).then(ignoreResult, ignoreResult);
  }

  /** The terminal's device (/dev/pts/N), for a process that opens it to make it its controlling terminal. */
  get devicePath(): string {
    return this.terminal.path;
  }

  /** The descriptor to give the command as fd 0. */
  get stdin(): number {
    if (this.slaveFd === undefined) throw new Error('console already closed');
    return this.slaveFd;
  }

  /**
   * The program that starts `file args` in a new session whose controlling terminal is its stdin:
   * util-linux setsid(1) with --ctty. The command must not be spawned detached: setsid(1) forks
   * when it already leads a process group, and then the pid Node knows would not be the command's.
   * Started from winrmd's own group it calls setsid(2) itself and execs, so the pid is the
   * command's and leads its process group, as process-group.ts expects.
   *
   * In front of it, coreutils env(1) ignores SIGHUP (an ignored signal stays ignored across exec,
   * as under nohup). When a session leader exits, the kernel sends SIGHUP to its terminal's
   * foreground group, which would kill whatever the command left running in the background; a
   * Windows console has no hangup, and processes a command leaves behind live on until the shell
   * is deleted (winrmd kills the group with SIGKILL then, never with SIGHUP).
   */
  static wrap(file: string, args: readonly string[]): { file: string; args: string[] } {
    return { file: findEnv(), args: ['--ignore-signal=HUP', findSetsid(), '--ctty', '--', file, ...args] };
  }

  write(data: Buffer): Promise<void> {
    if (this.ended || this.closed) return Promise.reject(new StdinClosedError(this.commandId));
    if (data.length === 0) return Promise.resolve();
    this.atLineStart = data[data.length - 1] === LINE_FEED;
    return this.enqueue(data);
  }

  /**
   * EOF as a terminal gives it: ^D at the start of a line makes the reader's read() return 0; after
   * a partial line, a first ^D hands that line over and the second is the EOF.
   */
  end(): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    const eof = this.atLineStart ? [END_OF_FILE] : [END_OF_FILE, END_OF_FILE];
    this.enqueue(Buffer.from(eof)).catch(() => undefined);
  }

  /**
   * Ctrl+C as the terminal's interrupt character, so that the line discipline signals the
   * foreground process group (or, when the program has turned ISIG off, reads it as a byte, as a
   * Windows program without ENABLE_PROCESSED_INPUT reads Ctrl+C). The caller signals instead when
   * the character could not get through: earlier input still waits for the command to read it, or
   * the command has only just started and setsid(1) (or a standby's open of the terminal,
   * standby-process.ts) has not yet made this its terminal.
   */
  interrupt(pid: number): boolean {
    if (this.closed || this.pendingWrites > 0 || !hasControllingTerminal(pid)) return false;
    this.enqueue(Buffer.from([INTERRUPT])).catch(() => undefined);
    return true;
  }

  processExited(): void {
    // The command's session has ended: the kernel hung up its terminal (SIGHUP to the foreground
    // group, as when an ssh session's terminal goes), so nothing can read this console any more.
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The master is closed (by the reader, which owns it) only once no write is in flight, so that
    // a write never lands on a descriptor number the process has since reused for another file.
    // The slave is held until then too: while winrmd holds it, reading the master never fails with
    // EIO, which would make the reader close the master on its own.
    const { masterFd } = this.terminal;
    void this.queue.finally(() => {
      if (this.slaveFd !== undefined) closeSync(this.slaveFd);
      this.slaveFd = undefined;
      openMasters.delete(masterFd);
      this.reader.destroy();
    });
  }

  private enqueue(data: Buffer): Promise<void> {
    this.pendingWrites += 1;
    const written = this.queue.then(() => this.writeAll(data)).finally(() => {
      this.pendingWrites -= 1;
    });
    this.queue = written.catch(() => undefined);
    return written;
  }

  /**
   * The master is non-blocking: a full input queue gives EAGAIN, and the write is tried again after
   * a growing pause. (A libuv TTY stream over a master descriptor would retry in a busy loop and
   * stall the whole event loop, which is why node-pty writes with fs.write too.)
   */
  private async writeAll(data: Buffer): Promise<void> {
    let offset = 0;
    let retryMs = FIRST_RETRY_MS;
    while (offset < data.length) {
      if (this.closed) throw new StdinClosedError(this.commandId);
      try {
        offset += await writeSome(this.terminal.masterFd, data, offset);
        retryMs = FIRST_RETRY_MS;
      } catch (error) {
        if (!isErrno(error, 'EAGAIN')) throw new StdinClosedError(this.commandId);
        await pause(retryMs);
        retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
      }
    }
  }
}

/** Runs stty on the terminal (its stdin), before the command starts; Node has no tcsetattr(3). */
function setTerminalModes(slaveFd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (why: string): void => {
      reject(new CommandLaunchError('EIO', `cannot set up the console: stty ${why}`));
    };
    const stty = spawn(findStty(), [...TERMINAL_MODES], { stdio: stdioFor(slaveFd, 'ignore') });
    stty.once('error', (error) => {
      failed(error.message);
    });
    stty.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else failed(`ended with ${signal ?? `exit status ${String(code)}`}`);
    });
  });
}

/** Whether `pid` leads a session with a controlling terminal (/proc/PID/stat: session, tty_nr, tpgid). */
function hasControllingTerminal(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // After the parenthesised command name: state ppid pgrp session tty_nr tpgid ...
  const [, , , session, ttyNr, tpgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(session) === pid && Number(ttyNr) !== 0 && Number(tpgid) > 0;
}

function writeSome(fd: number, data: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fsWrite(fd, data, offset, data.length - offset, null, (error, written) => {
      if (error) reject(error);
      else resolve(written);
    });
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function ignoreResult(): void {
  // The write queue waits for a promise's settling, not for its value.
}
