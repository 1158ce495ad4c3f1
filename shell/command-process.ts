/**
 * One running WinRS command: a child process in its own process group, its input, and its output
 * buffered with a bound until Receive requests take it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

import { PipeInput, type CommandInput } from './command-input.js';
import { FRESH_CONSOLES, type ConsoleSource } from './console-pool.js';
import { ConsoleInput, consoleSize, stdioFor } from './console-stdin.js';
import { CommandLaunchError, ReceiveBusyError } from './errors.js';
import { OutputBuffer } from './output-buffer.js';
import { findProgram } from './program-lookup.js';
import { SIGNAL_FOR, exitStatus, signalGroup, signalGroupOrLeader } from './process-group.js';
import type { CommandLaunch, CommandOutput, OutputStreamName, ShellSettings, ShellSignal } from './types.js';

const OUTPUT_STREAMS: readonly OutputStreamName[] = ['stdout', 'stderr'];

/**
 * How long a Receive holds the ends of a process's output for its exit code (see isReadyFor). A
 * process that closes its output and goes on running (or exits while a background process holds
 * its other pipe) has its ends reported after this.
 */
const EXIT_GRACE_MS = 50;

/** stdin is null when it is a console's terminal rather than a pipe. */
export type CommandChild = ChildProcessByStdio<Writable | null, Readable, Readable>;

export class CommandProcess {
  private readonly output = new OutputBuffer();
  /** The exit status once the process has exited (128 + signal when a signal ended it). */
  private status: number | undefined;
  private statusReported = false;
  private paused = false;
  private killed = false;
  /** Re-checks the one waiting Receive; set only while a Receive waits. */
  private waiter: (() => void) | undefined;
  private readonly exited: Promise<void>;
  /** Called each time a Receive hands out the exit code (the host's standby pool then starts its next spare). */
  onExitCodeReported: (() => void) | undefined;

  private constructor(
    readonly id: string,
    readonly pid: number,
    private readonly child: CommandChild,
    private readonly input: CommandInput,
    private readonly maxBufferedBytes: number,
    exitCodes: ReadonlyMap<number, number> | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const status = exitStatus(code, signal);
        this.status = exitCodes?.get(status) ?? status;
        input.processExited();
        this.wake();
        resolve();
      });
    });
    // Errors here must never become uncaught exceptions: a failed read shows up as 'close', and a
    // failed write (EPIPE when the command closed its stdin) reaches the caller of write().
    child.on('error', ignore);
    for (const name of OUTPUT_STREAMS) {
      const stream = child[name];
      stream.on('error', ignore);
      stream.on('data', (data: Buffer) => {
        this.onData(name, data);
      });
      stream.on('close', () => {
        this.output.close(name);
        this.wake();
      });
    }
  }

  /** Starts the command; resolves once the process exists, rejects with CommandLaunchError if it cannot. */
  static async start(id: string, launch: CommandLaunch, settings: ShellSettings, consoles: ConsoleSource = FRESH_CONSOLES): Promise<CommandProcess> {
    if (launch.argv === undefined && !launch.skipInterpreter && settings.interpreter.length === 0) {
      throw new CommandLaunchError('EINVAL', 'the shell has no interpreter');
    }
    const [program, ...programArgs] =
      launch.argv ??
      (launch.skipInterpreter ? [launch.executable, ...launch.args] : [...settings.interpreter, interpreterLine(launch, settings)]);
    if (program === undefined || program === '') throw new CommandLaunchError('EINVAL', 'no program to start');
    // In a console, setsid(1) already execs the program, so a missing one is exit code 127 there
    // with or without a cgroup; only a piped command needs the lookup to keep its launch fault.
    const entered =
      settings.memoryCgroupProcs === undefined || launch.console === true
        ? program
        : findProgram(program, settings.workingDirectory, settings.environment);
    const [file = program, ...args] = inMemoryCgroup(settings.memoryCgroupProcs, [entered, ...programArgs]);
    let consoleInput: ConsoleInput | undefined;
    if (launch.console === true) {
      try {
        consoleInput = await consoles.take(id, consoleSize(settings.environment));
      } catch (error) {
        throw error instanceof CommandLaunchError ? error : launchError(program, error, 'EIO');
      }
    }
    let child: CommandChild;
    try {
      // The command leads a new session and process group, so signals and kill() reach everything
      // it starts, and a Ctrl+C on winrmd's own terminal does not reach it: detached for a pipe,
      // setsid(1) for a console (see ConsoleInput.wrap).
      const target = consoleInput === undefined ? { file, args } : ConsoleInput.wrap(file, args);
      child = spawn(target.file, target.args, {
        cwd: settings.workingDirectory,
        env: { ...settings.environment },
        stdio: stdioFor(consoleInput?.stdin ?? 'pipe'),
        detached: consoleInput === undefined,
        // spawn() types a stdio array loosely; [fd or 'pipe', 'pipe', 'pipe', ...] gives this.
      }) as CommandChild;
    } catch (error) {
      consoleInput?.close();
      if (error instanceof CommandLaunchError) throw error;
      // Invalid arguments (e.g. a NUL byte in the command line) throw before any process exists.
      throw launchError(program, error, 'EINVAL');
    }
    const input = consoleInput ?? new PipeInput(id, pipeOf(child));
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        input.close();
        child.stdout.destroy();
        child.stderr.destroy();
        reject(launchError(program, error, 'EIO'));
      };
      child.once('error', onError);
      child.once('spawn', () => {
        child.off('error', onError);
        const { pid } = child;
        if (pid === undefined) {
          reject(new CommandLaunchError('EIO', `cannot start ${program}`));
          return;
        }
        resolve(new CommandProcess(id, pid, child, input, settings.maxBufferedBytes, launch.exitCodes));
      });
    });
  }

  /**
   * The command of a process started ahead (standby-process.ts), once it has been handed its
   * command line: from here on it is a command like any other.
   */
  static adopt(id: string, pid: number, started: { child: CommandChild; input: CommandInput }, launch: CommandLaunch, settings: ShellSettings): CommandProcess {
    return new CommandProcess(id, pid, started.child, started.input, settings.maxBufferedBytes, launch.exitCodes);
  }

  /** The process has exited (its output may still be unreceived). */
  get hasExited(): boolean {
    return this.status !== undefined;
  }

  /** A Receive has handed out the exit code: there is nothing more to tell the client. */
  get isFinished(): boolean {
    return this.statusReported;
  }

  /** Unreceived output bytes held for this command. */
  get bufferedBytes(): number {
    return this.output.bytes;
  }

  /**
   * Writes to the command's stdin; resolves once the pipe or terminal has taken the data, so a
   * caller that awaits each write never queues more than one block in memory.
   */
  write(data: Buffer): Promise<void> {
    return this.input.write(data);
  }

  /** Sends EOF to the command's stdin; data already written is still delivered first. */
  endInput(): void {
    this.input.end();
  }

  signal(kind: ShellSignal): void {
    // A console takes Ctrl+C as input, and its line discipline signals the foreground group.
    if (kind === 'ctrl_c' && this.input.interrupt(this.pid)) return;
    signalGroupOrLeader(this.pid, SIGNAL_FOR[kind]);
  }

  /**
   * Waits for something to report on `streams` (data, an end not yet reported, or the exit code;
   * ends alone wait a little for the exit, see isReadyFor) or for `abort`, then takes at most
   * `maxBytes` bytes (each switch between streams charged `runOverheadBytes`, see
   * OutputBuffer.take). Once the exit code has been handed out, every later call returns it again
   * at once.
   *
   * With `patience` (a Receive asked ahead of the client, host/read-ahead.ts), it waits instead for
   * the whole end of the process or an envelope's worth of output, until `patience` aborts: the
   * client's own Receive comes a round trip later, and output answered at its first byte would
   * cost that client a second Receive for the exit code of a command that ends at once.
   */
  receive(
    streams: ReadonlySet<OutputStreamName>,
    maxBytes: number,
    abort: AbortSignal,
    runOverheadBytes = 0,
    patience?: AbortSignal,
  ): Promise<CommandOutput> {
    if (this.waiter !== undefined) return Promise.reject(new ReceiveBusyError(this.id));
    const patient = (): boolean => patience !== undefined && !patience.aborted;
    const ready = (): boolean => (patient() ? this.isWholeFor(maxBytes) : this.isReadyFor(streams));
    if (abort.aborted || ready()) return Promise.resolve(this.collect(streams, maxBytes, runOverheadBytes));
    return new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(grace);
        this.waiter = undefined;
        abort.removeEventListener('abort', finish);
        patience?.removeEventListener('abort', check);
        resolve(this.collect(streams, maxBytes, runOverheadBytes));
      };
      const check = (): void => {
        if (ready()) finish();
        else if (grace === undefined && !patient() && this.hasNews(streams)) grace = setTimeout(finish, EXIT_GRACE_MS);
      };
      this.waiter = check;
      abort.addEventListener('abort', finish, { once: true });
      patience?.addEventListener('abort', check, { once: true });
      check();
    });
  }

  /**
   * Takes back what a Receive handed out but the client never got (see OutputBuffer.restore): the
   * data goes in front again, and its ends and exit code will be reported again.
   */
  restore(output: CommandOutput): void {
    if (this.killed) return;
    this.output.restore(output);
    if (output.exitCode !== undefined) this.statusReported = false;
    this.pauseIfFull();
    this.wake();
  }

  /**
   * Kills the whole process group and forgets its output; resolves once the process has exited.
   * The group is signalled even when the leader is already gone, since what it left running in the
   * background is still in the group.
   */
  async kill(): Promise<void> {
    this.killed = true;
    signalGroup(this.pid, 'SIGKILL');
    // A console command that has not yet reached setsid(2) is still in winrmd's group.
    this.child.kill('SIGKILL');
    this.output.discard();
    // Destroying the pipes also ends them, so a waiting Receive wakes up with the ends and the exit.
    this.input.close();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    await this.exited;
  }

  /**
   * Whether a Receive should answer now: with data, or with the exit code. Ends alone wait up to
   * EXIT_GRACE_MS for the rest of the process's end: its pipes close and its exit is seen one after
   * the other, in either order, and answering with an end alone would cost the client a whole
   * second Receive for the exit code (clients wait for CommandState Done, not for the ends).
   */
  private isReadyFor(streams: ReadonlySet<OutputStreamName>): boolean {
    return this.output.hasData(streams) || this.exitIsDue(streams);
  }

  /**
   * A patient Receive's moment: the process has exited and both pipes have closed (all it will
   * say is here), or there is an envelope's worth of output, or the buffer is full.
   */
  private isWholeFor(maxBytes: number): boolean {
    return (this.status !== undefined && this.output.isClosed) || this.paused || this.output.bytes >= maxBytes;
  }

  private hasNews(streams: ReadonlySet<OutputStreamName>): boolean {
    return this.output.hasNews(streams) || this.exitIsDue(streams);
  }

  /** The exit code may go out only when the streams asked for hold nothing the client has not seen. */
  private exitIsDue(streams: ReadonlySet<OutputStreamName>): boolean {
    return this.status !== undefined && this.output.isDrainedFor(streams);
  }

  private collect(streams: ReadonlySet<OutputStreamName>, maxBytes: number, runOverheadBytes: number): CommandOutput {
    const { chunks, endedStreams } = this.output.take(streams, maxBytes, runOverheadBytes);
    this.resumeIfRelieved();
    let exitCode: number | undefined;
    if (this.exitIsDue(streams)) {
      exitCode = this.status;
      this.statusReported = true;
      this.onExitCodeReported?.();
    }
    return { chunks, endedStreams, exitCode };
  }

  private onData(stream: OutputStreamName, data: Buffer): void {
    if (this.killed) return;
    this.output.append(stream, data);
    this.pauseIfFull();
    this.wake();
  }

  /**
   * Pausing both pipes makes the command block on a full pipe instead of growing our memory; the
   * one read already in hand is kept, so nothing is lost.
   */
  private pauseIfFull(): void {
    if (!this.paused && this.output.bytes > this.maxBufferedBytes) {
      this.paused = true;
      for (const name of OUTPUT_STREAMS) this.child[name].pause();
    }
  }

  /** Resuming only below half the bound avoids pausing and resuming on every small Receive. */
  private resumeIfRelieved(): void {
    const bytes = this.output.bytes;
    if (!this.paused || this.killed) return;
    if (bytes === 0 || bytes < this.maxBufferedBytes / 2) {
      this.paused = false;
      for (const name of OUTPUT_STREAMS) this.child[name].resume();
    }
  }

  private wake(): void {
    this.waiter?.();
  }
}

/** The line the interpreter runs for `launch`: the shell's prelude (its login profile), then the command line. */
export function interpreterLine(launch: CommandLaunch, settings: ShellSettings): string {
  return `${settings.commandPrelude ?? ''}${launch.commandLine}`;
}

function pipeOf(child: CommandChild): Writable {
  if (child.stdin === null) throw new Error('a pipe command without a stdin pipe');
  return child.stdin;
}

function launchError(file: string, error: unknown, fallbackCode: string): CommandLaunchError {
  const code = errnoCode(error) ?? fallbackCode;
  // Node's message ("spawn x ENOENT") is fine for a client; the stack is not, so build a fresh error.
  return new CommandLaunchError(code, `cannot start ${file}: ${code}`);
}

function errnoCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined;
  // Argument validation errors are ERR_* codes, not errno names.
  return error.code.startsWith('ERR_') ? undefined : error.code;
}

/**
 * The argv that runs `argv` inside the shell's memory cgroup: sh writes its own pid ($$, which exec
 * keeps) to the cgroup's cgroup.procs and only then execs the command, so the command and all it
 * starts are inside the cgroup from the start. A command that cannot enter it does not run: it
 * would otherwise escape the shell's limit silently. The caller has looked the program up
 * (shell/program-lookup.ts), since what sh cannot exec becomes an exit code, not a launch failure.
 */
export function inMemoryCgroup(procsPath: string | undefined, argv: readonly string[]): string[] {
  if (procsPath === undefined) return [...argv];
  return ['/bin/sh', '-c', `${memoryCgroupEntry('"$0"')}; exec "$@"`, procsPath, ...argv];
}

/** sh that moves the shell running it into the cgroup whose cgroup.procs `procsWord` names, or exits 126. */
export function memoryCgroupEntry(procsWord: string): string {
  return `echo $$ > ${procsWord} || { echo "winrmd: the command could not enter its shell's memory cgroup" >&2; exit 126; }`;
}

function ignore(): void {
  // Deliberately empty: see the constructor.
}
