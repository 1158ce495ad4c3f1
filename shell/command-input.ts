/**
 * A command's stdin as CommandProcess drives it: a pipe (WINRS_CONSOLEMODE_STDIN=FALSE) or a
 * console, the slave side of a pseudo-terminal (console-stdin.ts).
 */
import type { Writable } from 'node:stream';

import { StdinClosedError } from './errors.js';

export interface CommandInput {
  /** Resolves once the data has been taken; rejects with StdinClosedError once input is closed. */
  write(data: Buffer): Promise<void>;
  /** EOF after the data already written. */
  end(): void;
  /**
   * Delivers Ctrl+C to the command led by `pid` as input, when the input carries it (a console's
   * interrupt character); false when the caller has to signal the process group itself.
   */
  interrupt(pid: number): boolean;
  /** The process has exited (what it started in the background may live on). */
  processExited(): void;
  /** Releases the input for good: the command is being killed. */
  close(): void;
}

/** stdin as a pipe: EOF closes it, Ctrl+C is a signal. */
export class PipeInput implements CommandInput {
  constructor(
    private readonly commandId: string,
    private readonly stdin: Writable,
  ) {
    // A failed write (EPIPE when the command closed its stdin) reaches the caller of write().
    stdin.on('error', () => undefined);
  }

  write(data: Buffer): Promise<void> {
    const { stdin } = this;
    // Not writable after end(), after an earlier EPIPE, or once the process exited.
    if (!stdin.writable) return Promise.reject(new StdinClosedError(this.commandId));
    return new Promise((resolve, reject) => {
      stdin.write(data, (error) => {
        if (error) reject(new StdinClosedError(this.commandId));
        else resolve();
      });
    });
  }

  end(): void {
    if (this.stdin.writable) this.stdin.end();
  }

  interrupt(): boolean {
    return false;
  }

  processExited(): void {
    // A pipe stays open: what the command left running in the background may still read it.
  }

  close(): void {
    this.stdin.destroy();
  }
}
