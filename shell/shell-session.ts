/**
 * A WinRS shell: the settings its commands share and the commands started in it.
 */
import { CommandProcess } from './command-process.js';
import type { CommandLaunch, ShellSettings } from './types.js';

export class ShellSession {
  /** Keyed by lower-cased id: clients may echo a GUID back in another case than it was issued in. */
  private readonly commands = new Map<string, CommandProcess>();
  /** Ids whose process is still starting, so a second start with the same id fails at once. */
  private readonly starting = new Set<string>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly settings: ShellSettings,
  ) {}

  /** Commands whose exit code has not yet been handed out. */
  get commandCount(): number {
    let count = 0;
    for (const command of this.commands.values()) if (!command.isFinished) count += 1;
    return count;
  }

  /** A method rather than a getter: it is asked again after an await, where a narrowed property would lie. */
  isClosed(): boolean {
    return this.closing !== undefined;
  }

  async startCommand(commandId: string, launch: CommandLaunch): Promise<CommandProcess> {
    const key = keyOf(commandId);
    if (this.isClosed()) throw new Error(`shell ${this.id} is closed`);
    if (this.commands.has(key) || this.starting.has(key)) {
      throw new Error(`command ${commandId} already exists in shell ${this.id}`);
    }
    this.starting.add(key);
    try {
      const command = await CommandProcess.start(commandId, launch, this.settings);
      if (this.isClosed()) {
        // The shell was closed while the process started: nobody may ever reach it, so end it here.
        await command.kill();
        throw new Error(`shell ${this.id} is closed`);
      }
      this.commands.set(key, command);
      return command;
    } finally {
      this.starting.delete(key);
    }
  }

  command(id: string): CommandProcess | undefined {
    return this.commands.get(keyOf(id));
  }

  /** Kills the command's process group and forgets the command; unknown ids are ignored. */
  async removeCommand(id: string): Promise<void> {
    const key = keyOf(id);
    const command = this.commands.get(key);
    if (command === undefined) return;
    this.commands.delete(key);
    await command.kill();
  }

  /** Kills every command's process group. Calling it again returns the same promise. */
  close(): Promise<void> {
    this.closing ??= this.killAll();
    return this.closing;
  }

  private async killAll(): Promise<void> {
    const commands = [...this.commands.values()];
    this.commands.clear();
    await Promise.all(commands.map((command) => command.kill()));
  }
}

function keyOf(id: string): string {
  return id.toLowerCase();
}
