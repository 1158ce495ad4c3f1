/**
 * Proxies, in the listener, for a shell and its commands living in a shell host. They satisfy the
 * same ShellHandle / CommandHandle the handlers used on ShellSession directly, and keep a local
 * mirror of the command ids and which have finished, so that commandCount and command(id) stay
 * synchronous and cost no round trip.
 */
import type { CommandHandle, CommandLaunch, CommandOutput, OutputStreamName, ShellHandle, ShellSettings, ShellSignal } from '../shell/types.js';
import { CommandTable } from '../shell/command-table.js';
import { ReceiveBusyError } from '../shell/errors.js';
import { HostTimeoutError } from './errors.js';
import type { HostClient } from './host-client.js';
import { asBuffers } from './protocol.js';
import { ReadAhead, type ReceiveParameters } from './read-ahead.js';

/** Deadlines for operations that do not wait for output: a healthy host answers in milliseconds. */
export interface ProxyDeadlines {
  /** Starting a process (fork + exec under load can take a while). */
  readonly startMs: number;
  /**
   * Input: how long a Send waits for the input before it to be taken by the command's stdin
   * (RemoteCommand.flushInput), so a command that does not read holds the client's next Send this
   * long before it faults.
   */
  readonly writeMs: number;
  /** Everything else that is not a Receive (a Receive ends with its OperationTimeout). */
  readonly operationMs: number;
}

export const DEFAULT_DEADLINES: ProxyDeadlines = { startMs: 30_000, writeMs: 120_000, operationMs: 30_000 };

export class RemoteShell implements ShellHandle {
  private readonly commands: CommandTable<RemoteCommand>;
  /** Process groups of commands whose removal the host has not yet confirmed. */
  private readonly removing = new Set<number>();
  private closing: Promise<void> | undefined;
  /** Called once the shell is closed (its owner's bookkeeping: server/shell-hosts.ts). */
  onClosed: (() => void) | undefined;

  constructor(
    readonly id: string,
    readonly settings: ShellSettings,
    private readonly host: HostClient,
    private readonly deadlines: ProxyDeadlines = DEFAULT_DEADLINES,
  ) {
    this.commands = new CommandTable(id);
  }

  /**
   * Opens the shell in the host. A host that has answered before is not waited for (a round trip
   * on every Create): the channel keeps order, so whatever is asked of the shell reaches the host
   * after its opening, and a host that then fails to open it has died or hangs and is ended as such
   * (server/shell-hosts.ts). Its only other refusal, an id it already has, cannot happen: ids are
   * unique in the listener's registry, and the close of a deleted shell reaches the host before a
   * new opening of the same id. A new host's first shell is waited for, so that a host that cannot
   * work fails the Create itself.
   */
  static async open(id: string, settings: ShellSettings, host: HostClient, deadlines: ProxyDeadlines = DEFAULT_DEADLINES): Promise<RemoteShell> {
    const opened = host.request({ op: 'openShell', shellId: id, settings }, { deadlineMs: deadlines.operationMs, lateMeansHung: true });
    if (host.hasAnswered) opened.catch(ignore);
    else await opened;
    return new RemoteShell(id, settings, host, deadlines);
  }

  /** The host this shell lives in has ended: the shell is gone with it. */
  get hostIsDead(): boolean {
    return this.host.isDead;
  }

  /**
   * The process groups (leader pids) that may still hold processes of the shell, for the owner to
   * end when the host cannot (it was killed). A command whose exit code has gone out is left out:
   * the host hands that out only once the process has exited and both its output pipes have closed,
   * and its pid may since have been reused, so a SIGKILL to it (as root) could hit a stranger.
   * Commands being removed stay in until the host confirms it has ended them.
   */
  processGroups(): number[] {
    const running = this.commands.all().filter((command) => !command.isFinished);
    return [...running.map((command) => command.pid), ...this.removing];
  }

  get commandCount(): number {
    return this.commands.unfinishedCount;
  }

  isClosed(): boolean {
    return this.closing !== undefined;
  }

  async startCommand(commandId: string, launch: CommandLaunch): Promise<CommandHandle> {
    if (this.isClosed()) throw new Error(`shell ${this.id} is closed`);
    const release = this.commands.reserve(commandId);
    try {
      const { pid } = await this.host.request({ op: 'startCommand', shellId: this.id, commandId, launch }, { deadlineMs: this.deadlines.startMs });
      const command = new RemoteCommand(this.id, commandId, pid, this.host, this.deadlines);
      // The host kills the command itself if its shell was closed meanwhile; forget it here too.
      if (this.isClosed()) throw new Error(`shell ${this.id} is closed`);
      this.commands.set(commandId, command);
      return command;
    } finally {
      release();
    }
  }

  command(id: string): CommandHandle | undefined {
    return this.commands.get(id);
  }

  async removeCommand(id: string): Promise<void> {
    const command = this.commands.take(id);
    if (command === undefined) return;
    command.dropReadAhead();
    const mayRun = !command.isFinished;
    const removal = this.host.request({ op: 'removeCommand', shellId: this.id, commandId: id }, { deadlineMs: this.deadlines.operationMs });
    if (!mayRun) {
      // Its exit code went out, so its leader has exited: the host kills what is left of the group
      // and frees the command as soon as the message arrives, before any later request on the
      // same channel, and the client's Signal need not wait for that.
      removal.catch(ignore);
      return;
    }
    this.removing.add(command.pid);
    await removal;
    // The host has killed the group and seen the leader exit; on failure it stays to be killed.
    this.removing.delete(command.pid);
  }

  /**
   * Ends every process of the shell in the host; a dead host has ended them already. Resolves once
   * the host has closed the shell, or at once when no command is left that may run: the client's
   * Delete then does not wait for a round trip to the host (and a standby's fork there). What a
   * finished command left running in its group the host kills as it reads the removal and the
   * close, which come after everything sent before them, as Signal's reply does not wait for it.
   */
  close(): Promise<void> {
    this.closing ??= this.closeInHost();
    if (this.commands.all().length === 0 && this.removing.size === 0) return Promise.resolve();
    return this.closing;
  }

  private async closeInHost(): Promise<void> {
    try {
      if (this.host.isDead) return;
      for (const command of this.commands.all()) command.dropReadAhead();
      await this.host.request({ op: 'closeShell', shellId: this.id }, { deadlineMs: this.deadlines.operationMs });
      // The host has ended every process of the shell: nothing is left for anyone to kill.
      this.commands.takeAll();
      this.removing.clear();
    } catch {
      // A host that dies or hangs while closing is ended by its owner (server/shell-hosts.ts), who
      // still finds the groups in processGroups().
    } finally {
      this.onClosed?.();
    }
  }
}

export class RemoteCommand implements CommandHandle {
  private finished = false;
  /** The next Receive, asked of the host early (read-ahead.ts). */
  private ahead: ReadAhead | undefined;
  private dropped = false;
  private receiving = false;
  /** The last write posted to the host whose answer has not been waited for. */
  private inputInFlight: Promise<void> | undefined;

  constructor(
    private readonly shellId: string,
    readonly id: string,
    readonly pid: number,
    private readonly host: HostClient,
    private readonly deadlines: ProxyDeadlines,
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  /**
   * Posts `data` for the command's stdin once the write before it has been taken, and resolves
   * without waiting for this one: a Send is answered while its input is on its way to the process,
   * as Windows answers once input is queued for it, so the host's write (which lasts until the
   * process has read all but a pipe's worth) overlaps the client's next Send. At most one write is
   * in flight, so the host holds no more than one Send's input beyond the pipe. A failed write is
   * the failure of the next write (of every Send waiting for it at that moment), or of flushInput,
   * which the last Send waits for.
   */
  async write(data: Buffer): Promise<void> {
    // Checked again right before the post: another Send for this command may have posted between
    // the end of the wait and this line's turn.
    while (this.inputInFlight !== undefined) await this.flushInput();
    // No deadline on the write itself: the wait for it has one (flushInput), and a write that the
    // command takes late must still count as taken.
    const posted = this.host.request({ op: 'write', shellId: this.shellId, commandId: this.id, data });
    // Handled here as well, so that a write nobody waits for (the command went away) is no
    // unhandled rejection; whoever waits next still gets its failure.
    posted.catch(ignore);
    this.inputInFlight = posted;
    // A dead host has failed the write already: this Send's fault, not the next one's.
    if (this.host.isDead) await this.flushInput();
  }

  /**
   * Waits until no write is in flight: each has been taken. Rejects with a write's failure, or with
   * HostTimeoutError when a write has not been taken within the write deadline (it stays in
   * flight: a command that does not read holds up every Send after it).
   */
  async flushInput(): Promise<void> {
    while (this.inputInFlight !== undefined) await this.waitForInFlight(this.inputInFlight);
  }

  /** One wait, of at most the write deadline, for `inFlight`; clears it once it has settled. */
  private async waitForInFlight(inFlight: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new HostTimeoutError(`the shell host did not answer write within ${this.deadlines.writeMs} ms`));
      }, this.deadlines.writeMs);
      timer.unref();
    });
    try {
      await Promise.race([inFlight, late]);
    } catch (error) {
      if (error instanceof HostTimeoutError) throw error;
      // The write's own failure: given to whoever waits now, and then forgotten.
      if (this.inputInFlight === inFlight) this.inputInFlight = undefined;
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (this.inputInFlight === inFlight) this.inputInFlight = undefined;
  }

  /** Fire and forget, as on a CommandProcess: the channel keeps it after every earlier write. */
  endInput(): void {
    this.host.request({ op: 'endInput', shellId: this.shellId, commandId: this.id }, { deadlineMs: this.deadlines.operationMs }).catch(ignore);
  }

  signal(kind: ShellSignal): void {
    this.host.request({ op: 'signal', shellId: this.shellId, commandId: this.id, signal: kind }, { deadlineMs: this.deadlines.operationMs }).catch(ignore);
  }

  async receive(streams: ReadonlySet<OutputStreamName>, maxBytes: number, abort: AbortSignal, runOverheadBytes = 0): Promise<CommandOutput> {
    // The host refuses a second waiting Receive too; refusing it here also keeps one from slipping
    // in while a withdrawn read-ahead is on its way back.
    if (this.receiving) throw new ReceiveBusyError(this.id);
    this.receiving = true;
    const wanted = { streams, maxBytes, runOverheadBytes };
    const ahead = this.ahead;
    this.ahead = undefined;
    let output: CommandOutput;
    try {
      if (ahead === undefined) {
        output = await this.fetch(wanted, abort);
      } else if (ahead.fits(wanted)) {
        output = await ahead.adopt(abort);
      } else {
        const taken = await ahead.withdraw();
        // Sent before the Receive below, and the channel keeps order: the host has it back in time.
        if (taken !== undefined) this.host.request({ op: 'unreceive', shellId: this.shellId, commandId: this.id, output: taken }).catch(ignore);
        output = await this.fetch(wanted, abort);
      }
    } finally {
      this.receiving = false;
    }
    if (output.exitCode !== undefined) this.finished = true;
    else if (output.chunks.length > 0 && !this.dropped) this.ahead = new ReadAhead(wanted, (parameters, signal) => this.fetch(parameters, signal));
    return output;
  }

  /** Asks the host for the command's first output ahead of the client, patiently (read-ahead.ts). */
  expectReceive(streams: ReadonlySet<OutputStreamName>, maxBytes: number, runOverheadBytes: number): void {
    if (this.ahead !== undefined || this.dropped || this.receiving || this.finished) return;
    this.ahead = new ReadAhead({ streams, maxBytes, runOverheadBytes }, (parameters, abort, hurry) => this.fetch(parameters, abort, hurry), true);
  }

  /** The command is being removed: nothing read ahead for it will be asked for. */
  dropReadAhead(): void {
    this.dropped = true;
    this.ahead?.drop();
    this.ahead = undefined;
  }

  private async fetch({ streams, maxBytes, runOverheadBytes }: ReceiveParameters, abort: AbortSignal, hurry?: AbortSignal): Promise<CommandOutput> {
    const output = await this.host.request(
      { op: 'receive', shellId: this.shellId, commandId: this.id, streams: [...streams], maxBytes, runOverheadBytes, ...(hurry === undefined ? {} : { patient: true }) },
      { abort, hurry },
    );
    return asBuffers(output);
  }
}

function ignore(): void {
  // A failure here shows on the command's next Receive (the host is dead) or nowhere (it exited).
}
