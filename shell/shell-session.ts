/**
 * A WinRS shell: the settings its commands share, and the commands started in it, each from the
 * host's process started ahead when it fits (standby-pool.ts), else the usual way.
 */
import { CommandProcess, interpreterLine } from './command-process.js';
import { FRESH_CONSOLES, type ConsoleSource } from './console-pool.js';
import { CommandTable } from './command-table.js';
import { StandbyProcess } from './standby-process.js';
import type { StandbyPool } from './standby-pool.js';
import type { CommandLaunch, ShellSettings } from './types.js';

export class ShellSession {
  private readonly commands: CommandTable<CommandProcess>;
  private closing: Promise<void> | undefined;
  /** Standbys handed a line but then not adopted, being ended, for close() to wait for too. */
  private readonly ending = new Set<Promise<void>>();

  /** `standbys`: the host's process started ahead for the next command; none in tests of the plain start. */
  constructor(
    readonly id: string,
    readonly settings: ShellSettings,
    private readonly consoles: ConsoleSource = FRESH_CONSOLES,
    private readonly standbys?: StandbyPool,
  ) {
    this.commands = new CommandTable(id);
    standbys?.prepare(settings);
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
      const command = (await this.fromStandby(commandId, launch)) ?? (await CommandProcess.start(commandId, launch, this.settings, this.consoles));
      const standbys = this.standbys;
      if (standbys !== undefined) {
        command.onExitCodeReported = () => {
          standbys.commandEnded();
        };
      }
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
    await Promise.all([...this.commands.takeAll().map((command) => command.kill()), ...this.ending]);
  }

  /**
   * The command `launch` asks for, started by handing its line to the host's standby; undefined
   * when there is none that fits, or it cannot run this (a direct start, a mapped argv, a line sh
   * cannot take).
   */
  private async fromStandby(commandId: string, launch: CommandLaunch): Promise<CommandProcess | undefined> {
    if (this.standbys === undefined || launch.argv !== undefined || launch.skipInterpreter) return undefined;
    const commandLine = interpreterLine(launch, this.settings);
    // What the usual start refuses (a NUL: EINVAL; an argument too long: E2BIG) it reports itself.
    if (!StandbyProcess.canTake(commandLine)) return undefined;
    const standby = await this.standbys.take(this.settings, launch.console === true);
    if (standby === undefined) return undefined;
    try {
      return CommandProcess.adopt(commandId, standby.pid, standby.hand(commandId, commandLine, this.settings), launch, this.settings);
    } catch {
      // It may have read the line already and be in the shell's cgroup: close() waits for its end.
      const ending = standby.discard();
      this.ending.add(ending);
      void ending.then(() => this.ending.delete(ending));
      return undefined;
    }
  }
}
