/**
 * Opening a pseudo-terminal pair with node-pty's native openpty(3) binding. node-pty's public API
 * spawns the program itself with the terminal as all three standard streams; a console command
 * needs the terminal as stdin only, so this takes the pair alone and leaves the spawn to Node.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { createRequire } from 'node:module';

import { CommandLaunchError } from './errors.js';

export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

export interface PseudoTerminal {
  /** The master side: non-blocking and (a limit of the binding) not close-on-exec. */
  readonly masterFd: number;
  /** The slave side, opened by winrmd itself: blocking, close-on-exec, not a controlling terminal of winrmd. */
  readonly slaveFd: number;
  readonly path: string;
}

/** node-pty's native `open(cols, rows)`, the part of its binding used here. */
interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
  resize(fd: number, cols: number, rows: number): void;
}

let nativePty: NativePty | undefined;

/**
 * Opens a pair of `size`. The slave device belongs to the process that opens it: the user's own
 * shell host (host/), so the user's terminal is theirs, as login and sshd arrange.
 */
export function openPseudoTerminal(size: TerminalSize): PseudoTerminal {
  const native = loadNative();
  let pair: { master: number; slave: number; pty: string };
  try {
    pair = native.open(size.cols, size.rows);
  } catch (error) {
    throw new CommandLaunchError('EIO', `cannot open a pseudo-terminal: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    // The binding leaves the slave non-blocking, a flag the command would inherit on its stdin
    // (and `cat` would fail with EAGAIN), and not close-on-exec. Opening the device again by name
    // gives a blocking, close-on-exec descriptor (Node opens every file with O_CLOEXEC) to hand on.
    const slaveFd = openSync(pair.pty, constants.O_RDWR | constants.O_NOCTTY);
    return { masterFd: pair.master, slaveFd, path: pair.pty };
  } catch (error) {
    closeSync(pair.master);
    throw new CommandLaunchError('EIO', `cannot open ${pair.pty}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    closeSync(pair.slave);
  }
}

/** Sets the window size (TIOCSWINSZ): for a terminal opened before its command's size was known. */
export function resizePseudoTerminal(terminal: PseudoTerminal, size: TerminalSize): void {
  try {
    loadNative().resize(terminal.masterFd, size.cols, size.rows);
  } catch (error) {
    throw new CommandLaunchError('EIO', `cannot size the console: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function loadNative(): NativePty {
  if (nativePty !== undefined) return nativePty;
  let loaded: unknown;
  try {
    // node-pty is CommonJS, and its typings do not declare the `native` binding it exports on Unix.
    const required: unknown = createRequire(import.meta.url)('node-pty');
    loaded = typeof required === 'object' && required !== null && 'native' in required ? required.native : undefined;
  } catch (error) {
    throw new CommandLaunchError('EIO', `console stdin is unavailable: node-pty does not load (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isNativePty(loaded)) throw new CommandLaunchError('EIO', 'console stdin is unavailable: node-pty has no native open()');
  nativePty = loaded;
  return loaded;
}

function isNativePty(value: unknown): value is NativePty {
  return (
    typeof value === 'object' &&
    value !== null &&
    'open' in value &&
    typeof value.open === 'function' &&
    'resize' in value &&
    typeof value.resize === 'function'
  );
}
