/**
 * A WinRS shell: the settings its commands share and the commands started in it.
 */
import { CommandProcess } from './command-process.js';
import { FRESH_CONSOLES, type ConsoleSource } from './console-pool.js';
import { CommandTable } from './command-table.js';
import type { CommandLaunch, ShellSettings } from './types.js';

export class ShellSession {
  private readonly commands: CommandTable<CommandProcess>;
  private closing: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly settings: ShellSettings,
    private readonly consoles: ConsoleSource = FRESH_CONSOLES,
  ) {
    this.commands = new CommandTable(id);
  }

  /** Commands whose exit code has not yet been handed out. */
  get commandCount(): number {
    return this.commands.unfinishedCount;
  }

  /** A method rather than a getter: it is asked again after an await, where a narrowed property would lie. */
  isClosed(): boolean {
    return this.closing !== undefined;
  }

  async startCommand(commandId: string, launch: CommandLaunch): Promise<CommandProcess> {
    if (this.isClosed()) throw new Error(`shell ${this.id} is closed`);
    const release = this.commands.reserve(commandId);
    try {
      const command = await CommandProcess.start(commandId, launch, this.settings, this.consoles);
      if (this.isClosed()) {
        // The shell was closed while the process started: nobody may ever reach it, so end it here.
        await command.kill();
        throw new Error(`shell ${this.id} is closed`);
      }
      this.commands.set(commandId, command);
      return command;
    } finally {
      release();
    }
  }

  command(id: string): CommandProcess | undefined {
    return this.commands.get(id);
  }

  /** Kills the command's process group and forgets the command; unknown ids are ignored. */
  async removeCommand(id: string): Promise<void> {
    await this.commands.take(id)?.kill();
  }

  /** Kills every command's process group. Calling it again returns the same promise. */
  close(): Promise<void> {
    this.closing ??= this.killAll();
    return this.closing;
  }

  private async killAll(): Promise<void> {
    await Promise.all(this.commands.takeAll().map((command) => command.kill()));
  }
}
