/**
 * Consoles made ready before the Commands that need them. Setting up a console's line discipline
 * takes a run of stty (Node has no tcsetattr), a process start and exit on the path of every
 * console Command, where pywinrm and winrs ask for a console on each one. A pool keeps one console
 * opened and set up ahead, and sets up the next while the command that took it runs.
 *
 * The spare is an ordinary console (both ends held by this process, close-on-exec for the slave, its
 * master covered in every child by stdioFor), only not yet given to a command. `release` closes it:
 * the shell host calls it when its last shell closes, so an idle host holds no terminal.
 */
import { ConsoleInput, DEFAULT_CONSOLE_SIZE } from './console-stdin.js';
import type { TerminalSize } from './pseudo-terminal.js';

/** Where a command gets its console: a pool, or a console opened on the spot. */
export interface ConsoleSource {
  take(commandId: string, size: TerminalSize): Promise<ConsoleInput>;
}

export const FRESH_CONSOLES: ConsoleSource = { take: (commandId, size) => ConsoleInput.open(commandId, size) };

export class ConsolePool implements ConsoleSource {
  /** The console being made ready, or made ready; undefined when it could not be. */
  private spare: Promise<ConsoleInput | undefined> | undefined;
  /** Counts release() calls, so that a refill planned before one does not happen after it. */
  private releases = 0;

  async take(commandId: string, size: TerminalSize): Promise<ConsoleInput> {
    const spare = this.spare;
    this.spare = undefined;
    // The next spare's stty is a fork of this process, synchronous like every spawn: started now it
    // would hold up the command's own spawn, so it waits until the command has started.
    const releases = this.releases;
    setImmediate(() => {
      if (this.releases === releases) this.spare ??= this.prepare();
    });
    const ready = spare === undefined ? undefined : await spare;
    if (ready === undefined) return ConsoleInput.open(commandId, size);
    try {
      ready.assign(commandId, size);
    } catch (error) {
      ready.close();
      throw error;
    }
    return ready;
  }

  /** Closes the spare; the next take() opens one on the spot and starts a new spare. */
  release(): void {
    this.releases += 1;
    const spare = this.spare;
    this.spare = undefined;
    void spare?.then((console) => console?.close());
  }

  private prepare(): Promise<ConsoleInput | undefined> {
    // A failure here is met again, and reported, by the take() that opens a console on the spot.
    return ConsoleInput.open('(spare console)', DEFAULT_CONSOLE_SIZE).catch(() => undefined);
  }
}
