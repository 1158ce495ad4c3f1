/**
 * A shell host's process started ahead for its next command (standby-process.ts), shared by its
 * shells. A standby started when a shell is created is not ready when the first Command comes
 * moments later: the host's fork, then sh and stty still stand between the line and the command.
 * So the host keeps one spare: a Command takes it if it fits, and the next is started for the next
 * Command of any of the account's shells. A run of pywinrm's run_cmd (a shell for each command)
 * then finds every command's process waiting, and a shell busy with a long command holds no second
 * process of its own.
 *
 * The next spare starts once a command's exit code has gone out, or a little after the take if the
 * command runs on. Starting one forks the host, which then answers nothing for about a millisecond
 * (more on a busy machine); after the exit code, the client's next requests (Signal, Delete, the
 * next Create) do not wait for the host (host/remote-shell.ts), so the fork is off the path of a
 * command loop.
 *
 * Standbys fit one another when they would have been started alike: the same interpreter, working
 * directory, environment, and console or pipes. Nothing of a particular shell is in a waiting
 * standby (its memory cgroup comes with the command line), and all the shells of a host run as the
 * same account.
 */
import { StandbyProcess } from './standby-process.js';
import type { ShellSettings } from './types.js';

/**
 * A spare nobody takes is ended after this long, so that an idle host holds no extra process, and a
 * standby never waits so long that its start no longer matches its shell's (a working directory
 * removed and made again).
 */
const SPARE_IDLE_MS = 10_000;

/** The next spare starts this long after a take at the latest, if the command is not done by then. */
const REFILL_DELAY_MS = 20;

interface Spare {
  readonly kind: string;
  readonly standby: Promise<StandbyProcess | undefined>;
  readonly expiry: NodeJS.Timeout;
}

type StartStandby = (settings: ShellSettings, withConsole: boolean) => Promise<StandbyProcess | undefined>;

export class StandbyPool {
  private spare: Spare | undefined;
  /**
   * Whether the last Command wanted a console: the next is taken to want the same, and at first
   * one is, as pywinrm, winrs and Go's winrm ask (Ansible, which pipes its input, asks for pipes).
   */
  private lastWithConsole = true;
  private closed = false;
  /** Starts the spare owed since the last take; undefined when none is owed. */
  private refill: (() => void) | undefined;
  private refillTimer: NodeJS.Timeout | undefined;
  private takes = 0;

  constructor(
    private readonly start: StartStandby = (settings, withConsole) => StandbyProcess.start(settings, withConsole),
    private readonly idleMs = SPARE_IDLE_MS,
    private readonly refillDelayMs = REFILL_DELAY_MS,
  ) {}

  /** A new shell: its first command will find a standby, unless one of its kind already waits. */
  prepare(settings: ShellSettings): void {
    // A Command read in the same turn may take the spare first: it owes the next one itself, and
    // a start for this shell too would fork the host twice, the second time under that Command.
    const takes = this.takes;
    this.startSpareAfterThisTurn(settings, this.lastWithConsole, () => this.takes === takes);
  }

  /**
   * The spare, if it fits a command of a shell with `settings`; undefined when it does not (the
   * command is then started the usual way). Either way a spare of this kind follows.
   */
  async take(settings: ShellSettings, withConsole: boolean): Promise<StandbyProcess | undefined> {
    this.takes += 1;
    this.lastWithConsole = withConsole;
    const kind = standbyKind(settings, withConsole);
    const spare = this.spare?.kind === kind ? this.takeSpare() : undefined;
    this.owe(settings, withConsole);
    const standby = await spare?.standby;
    if (standby === undefined || standby.isWaiting) return standby;
    // Killed from outside while it waited: nothing tells it from a waiting one until it is reaped.
    void standby.discard();
    return undefined;
  }

  /** A command of one of the host's shells has ended, its exit code handed out: the owed spare starts. */
  commandEnded(): void {
    this.refill?.();
  }

  /** Ends the spare, and starts no other. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refillTimer);
    this.refill = undefined;
    const standby = await this.takeSpare()?.standby;
    await standby?.discard();
  }

  private owe(settings: ShellSettings, withConsole: boolean): void {
    clearTimeout(this.refillTimer);
    if (this.closed) return;
    const refill = (): void => {
      clearTimeout(this.refillTimer);
      this.refill = undefined;
      this.startSpareAfterThisTurn(settings, withConsole);
    };
    this.refill = refill;
    this.refillTimer = setTimeout(refill, this.refillDelayMs);
    this.refillTimer.unref();
  }

  /**
   * Starting forks this process synchronously (about a millisecond): the reply on its way goes
   * first. A spare of another kind gives way to the newer wish.
   */
  private startSpareAfterThisTurn(settings: ShellSettings, withConsole: boolean, stillWanted: () => boolean = () => true): void {
    const kind = standbyKind(settings, withConsole);
    setImmediate(() => {
      if (this.closed || this.spare?.kind === kind || !stillWanted()) return;
      discard(this.takeSpare());
      const standby = this.start(settings, withConsole);
      const expiry = setTimeout(() => {
        if (this.spare?.standby === standby) discard(this.takeSpare());
      }, this.idleMs);
      expiry.unref();
      this.spare = { kind, standby, expiry };
    });
  }

  private takeSpare(): Spare | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (spare !== undefined) clearTimeout(spare.expiry);
    return spare;
  }
}

/** What a standby's start depends on (StandbyProcess.start); the memory cgroup is not among it. */
function standbyKind(settings: ShellSettings, withConsole: boolean): string {
  return JSON.stringify([settings.interpreter, settings.workingDirectory, Object.entries(settings.environment), withConsole]);
}

function discard(spare: Spare | undefined): void {
  void spare?.standby.then((standby) => standby?.discard());
}
