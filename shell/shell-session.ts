/**
 * A WinRS shell: the settings its commands share, the commands started in it, and one process
 * started ahead for its next command (standby-process.ts).
 */
import { CommandProcess, interpreterLine } from './command-process.js';
import { FRESH_CONSOLES, type ConsoleSource } from './console-pool.js';
import { CommandTable } from './command-table.js';
import { StandbyProcess } from './standby-process.js';
import type { CommandLaunch, ShellSettings } from './types.js';

export class ShellSession {
  private readonly commands: CommandTable<CommandProcess>;
  private closing: Promise<void> | undefined;
  /** The process started ahead for the next command line, or being started; undefined when none is. */
  private standby: Promise<StandbyProcess | undefined> | undefined;
  /**
   * Whether the next command will want a console: as the last one did, and at first as pywinrm,
   * winrs and Go's winrm ask (Ansible, which pipes its input, asks for pipes every time).
   */
  private nextWantsConsole = true;
  private commandsStarted = 0;
  /** Standbys being ended (of the wrong kind, or unusable), for close() to wait for too. */
  private readonly ending = new Set<Promise<void>>();

  /** `standby`: keep a process started ahead for the next command (off in tests of the plain start). */
  constructor(
    readonly id: string,
    readonly settings: ShellSettings,
    private readonly consoles: ConsoleSource = FRESH_CONSOLES,
    private readonly keepsStandby = false,
  ) {
    this.commands = new CommandTable(id);
    this.prepareStandby();
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
      // The next standby starts once this command's exit code has gone out, and only in a shell that
      // runs commands one after another: a shell running a long command holds no second process,
      // the reply with the exit code does not wait for a fork of this process, and pywinrm's
      // run_cmd (a shell for each command, deleted right after it) does not pay for one it never uses.
      this.nextWantsConsole = launch.console === true;
      this.commandsStarted += 1;
      if (this.commandsStarted > 1) {
        command.onExitCodeReported = () => {
          this.prepareStandby();
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
    const standby = this.standby;
    this.standby = undefined;
    await Promise.all([...this.commands.takeAll().map((command) => command.kill()), standby?.then((process) => process?.discard()), ...this.ending]);
  }

  /**
   * Starts the standby after the current turn of the event loop: spawning forks this process
   * synchronously, and the reply that is on its way (the shell's creation, a command's exit code)
   * should not wait for that.
   */
  private prepareStandby(): void {
    if (!this.keepsStandby || this.standby !== undefined || this.isClosed()) return;
    const wantsConsole = this.nextWantsConsole;
    const standby = new Promise<StandbyProcess | undefined>((resolve) => {
      setImmediate(() => {
        resolve(this.isClosed() ? undefined : StandbyProcess.start(this.settings, wantsConsole));
      });
    });
    this.standby = standby;
    // Closed while it started: killAll may have looked before it existed.
    void standby.then((process) => {
      if (this.isClosed() && process !== undefined) this.end(process);
    });
  }

  /** Ends a standby that will not be used, remembered until it has exited so that close() waits for it. */
  private end(standby: StandbyProcess): void {
    const ending = standby.discard();
    this.ending.add(ending);
    void ending.then(() => this.ending.delete(ending));
  }

  /**
   * The command `launch` asks for, started by handing its line to the standby; undefined when the
   * standby cannot run it (a direct start, a mapped argv, the other kind of stdin, a line sh
   * cannot take), which then is ended or kept as fits.
   */
  private async fromStandby(commandId: string, launch: CommandLaunch): Promise<CommandProcess | undefined> {
    if (this.standby === undefined || launch.argv !== undefined || launch.skipInterpreter) return undefined;
    const commandLine = interpreterLine(launch, this.settings);
    // What the usual start refuses (a NUL: EINVAL; an argument too long: E2BIG) it reports itself.
    if (!StandbyProcess.canTake(commandLine)) return undefined;
    const pending = this.standby;
    this.standby = undefined;
    const standby = await pending;
    if (standby === undefined) return undefined;
    if (!standby.isWaiting || standby.hasConsole !== (launch.console === true)) {
      this.end(standby);
      return undefined;
    }
    try {
      return CommandProcess.adopt(commandId, standby.pid, standby.hand(commandId, commandLine, this.settings), launch, this.settings);
    } catch {
      this.end(standby);
      return undefined;
    }
  }
}
