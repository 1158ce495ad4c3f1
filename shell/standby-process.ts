/**
 * A command's process, started before its Command arrives. Starting a process is most of what a
 * short command costs: a fork of the shell host, then for a console env(1) and setsid(1), then the
 * interpreter, each an exec (about 2 ms together on a small machine, on the path of every Command).
 * A shell host keeps one process started ahead (standby-pool.ts) that waits in /bin/sh to read its
 * command line from a pipe. A Command hands it the line, and the waiting sh execs the interpreter
 * on it, so the command runs as if it had been started with it: the same argv and pid, its own
 * session and process group, the shell's working directory, environment, console and cgroup.
 */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { Duplex, Writable } from 'node:stream';

import type { CommandInput } from './command-input.js';
import { PipeInput } from './command-input.js';
import { memoryCgroupEntry, type CommandChild } from './command-process.js';
import { ConsoleInput, TERMINAL_MODES, consoleSize, stdioWithExtraPipe } from './console-stdin.js';
import { signalGroup } from './process-group.js';
import { findProgram } from './program-lookup.js';
import { findStty } from './system-programs.js';
import type { ShellSettings } from './types.js';

/**
 * What the waiting sh runs. $1 is the descriptor the command line arrives on (a socket pair, as
 * libuv makes a child's pipes, so it also carries the "ready" byte back); for a console $2 is the
 * terminal's device and $3 stty(1), both empty otherwise; the rest is the interpreter's argv.
 *
 * The waiting sh is started in a session of its own (libuv's setsid(2) for a detached child). A
 * console becomes its controlling terminal when it opens the device again as its stdin, as a
 * session leader without one does with the first terminal it opens; setsid(1) --ctty, which
 * ConsoleInput.wrap puts before a command started the usual way, would be one more exec. An open
 * that did not make it the controlling terminal (the terminal belongs to another session) is caught
 * by opening /dev/tty, which only a process with one can, and the standby exits (124). The
 * console's modes are set here, in the waiting process, rather than by a run of stty forked from
 * the host, and SIGHUP is ignored here (an ignored signal stays ignored across exec, so the command
 * and what it leaves running have it ignored, as ConsoleInput.wrap's env(1) does for a command
 * started the usual way). Only then does it say it is ready: input typed at a terminal before its
 * modes are set would be taken with the kernel's defaults (a CR read as a newline).
 *
 * What arrives is a line naming the shell's memory cgroup's cgroup.procs (empty for none), the
 * command line, then a line holding only "." and the end of the pipe. The cgroup comes with the line,
 * not as an argument, so that a standby started for one shell can serve another of the same kind
 * (standby-pool.ts); it is entered before the exec, so the command still runs inside it from its
 * first instruction. `read` takes a line at a time, and the lines are put back together. A line
 * cut short (the host went away while writing it) or an empty pipe ends the process instead of
 * running what came.
 */
const WAITING_SHELL = '/bin/sh';

const WAIT_SCRIPT = [
  `if [ -n "$2" ]; then trap '' HUP; command exec 0<>"$2" || exit 124; { : </dev/tty; } 2>/dev/null || exit 124; "$3" ${TERMINAL_MODES.join(' ')} || exit 124; fi`,
  'printf r >&"$1" || exit 125',
  'IFS= read -r procs <&"$1" || exit 125',
  'IFS= read -r line <&"$1" || exit 125',
  'while IFS= read -r more <&"$1"; do line="$line',
  '$more"; done',
  'case $line in *"',
  '.") line=${line%??} ;; *) exit 125 ;; esac',
  'eval "exec $1<&-"',
  `if [ -n "$procs" ]; then ${memoryCgroupEntry('"$procs"')}; fi`,
  'shift 3',
  'exec "$@" "$line"',
].join('\n');

/**
 * Longer command lines are started the usual way. The waiting sh's `read` takes its input a byte
 * per system call (a shell must not read past the line), which for a long line costs more than the
 * standby saves: a 30,000-byte line took 23.6 ms through a standby against 9.3 started the usual
 * way, 8 KiB 9.9 against 6.9, 4 KiB about the same, 1 KiB 5.7 against 7.8 (bench/README.md,
 * twentieth run). And an argument near Linux's limit for one (MAX_ARG_STRLEN, 128 KiB) must fail as
 * the usual start fails (E2BIG, a fault), not as an exit code from the waiting sh.
 */
const MAX_COMMAND_LINE_BYTES = 4 * 1024;

/** The file /bin/sh is, looked up once: a standby starts after every command of a busy shell. */
let waitingShellRealPath: string | undefined;

function waitingShellFile(): string {
  waitingShellRealPath ??= realpathSync(WAITING_SHELL);
  return waitingShellRealPath;
}

/** dash names descriptors with one digit only. */
const HIGHEST_PIPE_FD = 9;

/** Console input waits this long at most for a standby to say it is ready (it then exits anyway). */
const READY_TIMEOUT_MS = 5_000;

export class StandbyProcess {
  private discarding: Promise<void> | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: CommandChild,
    readonly pid: number,
    private readonly console: ConsoleInput | undefined,
    private readonly commandLinePipe: Duplex,
    /** Settles once the waiting sh has set itself up (its console's modes included). */
    private readonly ready: Promise<boolean>,
  ) {
    this.exited = new Promise((resolve) => {
      if (!this.isWaiting) {
        resolve();
        return;
      }
      child.once('exit', () => {
        resolve();
      });
    });
  }

  /**
   * A process waiting for a command line for the interpreter, with a console or with pipes; undefined
   * when none can be started (no interpreter, a program that is not there, no console): the
   * Command then starts its process the usual way and meets the failure there, as a fault.
   */
  static async start(settings: ShellSettings, withConsole: boolean): Promise<StandbyProcess | undefined> {
    const [program, ...programArgs] = settings.interpreter;
    if (program === undefined || program === '') return undefined;
    let console: ConsoleInput | undefined;
    let child: CommandChild | undefined;
    try {
      // The interpreter must be the waiting shell itself: then the environment it gets from the
      // waiting sh is exactly what it would have got from the host (sh drops names that are not
      // identifiers and sets PPID, OPTIND and PWD, the same when it starts either way), and what
      // cannot be started fails the usual way, as a fault, not as an exit code from the waiting sh.
      const entered = findProgram(program, settings.workingDirectory, settings.environment);
      if (realpathSync(entered) !== waitingShellFile()) return undefined;
      if (withConsole) console = ConsoleInput.openWithKernelModes('(standby)', consoleSize(settings.environment));
      const { stdio, extraFd } = stdioWithExtraPipe(console?.stdin ?? 'pipe');
      if (extraFd > HIGHEST_PIPE_FD) throw new Error(`descriptor ${extraFd} is beyond what sh can name`);
      const consoleArgs = console === undefined ? ['', ''] : [console.devicePath, findStty()];
      const waiter = ['-c', WAIT_SCRIPT, 'winrmd-standby', String(extraFd), ...consoleArgs, entered, ...programArgs];
      child = spawn(WAITING_SHELL, waiter, {
        cwd: settings.workingDirectory,
        env: { ...settings.environment },
        stdio,
        detached: true,
        // spawn() types a stdio array loosely; [fd or 'pipe', 'pipe', 'pipe', ..., 'pipe'] gives this.
      }) as CommandChild;
      child.on('error', ignore);
      child.stdout.on('error', ignore);
      child.stderr.on('error', ignore);
      const commandLinePipe = child.stdio[extraFd] as Duplex | null;
      if (commandLinePipe === null) throw new Error('no pipe for the command line');
      commandLinePipe.on('error', ignore);
      const ready = isReady(child, commandLinePipe);
      const started = await new Promise<boolean>((resolve) => {
        child?.once('spawn', () => {
          resolve(true);
        });
        child?.once('error', () => {
          resolve(false);
        });
      });
      if (!started || child.pid === undefined) throw new Error('the standby did not start');
      return new StandbyProcess(child, child.pid, console, commandLinePipe, ready);
    } catch {
      if (child?.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      child?.kill('SIGKILL');
      console?.close();
      return undefined;
    }
  }

  /** Whether `commandLine` can be handed to a standby (see MAX_COMMAND_LINE_BYTES; a NUL cannot cross as an argument). */
  static canTake(commandLine: string): boolean {
    return !commandLine.includes('\0') && Buffer.byteLength(commandLine) <= MAX_COMMAND_LINE_BYTES;
  }

  /** Still waiting: it has not exited (nothing but a kill from outside ends it before it is handed a line). */
  get isWaiting(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Hands the process its command line: it execs the interpreter on it. What comes back is the
   * process and its stdin for CommandProcess.adopt.
   */
  hand(commandId: string, commandLine: string, settings: ShellSettings): { child: CommandChild; input: CommandInput } {
    const procs = settings.memoryCgroupProcs ?? '';
    // The path is winrmd's own (server/shell-cgroups.ts); one that is not a single line cannot be sent.
    if (procs.includes('\n')) throw new Error('a cgroup path holding a newline');
    this.console?.assign(commandId, consoleSize(settings.environment));
    // The line may go at once (the waiting sh reads it once it is set up), but console input must
    // wait until the terminal's modes are set. A standby that fails to set up exits (124, 125), one
    // that cannot enter the cgroup 126.
    this.console?.holdInputUntil(this.ready);
    this.commandLinePipe.end(`${procs}\n${commandLine}\n.\n`);
    return { child: this.child, input: this.console ?? new PipeInput(commandId, pipeOf(this.child)) };
  }

  /**
   * Ends the waiting process and frees its console; resolves once it has exited, so that a shell's
   * cgroup is empty when the shell is gone. Called again, it returns the same promise.
   */
  discard(): Promise<void> {
    this.discarding ??= this.end();
    return this.discarding;
  }

  private end(): Promise<void> {
    signalGroup(this.pid, 'SIGKILL');
    this.child.kill('SIGKILL');
    this.commandLinePipe.destroy();
    this.child.stdin?.destroy();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.console?.close();
    return this.exited;
  }
}

/** Resolves true once the waiting sh has written its "ready" byte; false if it ends first or takes too long. */
function isReady(child: CommandChild, pipe: Duplex): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ready: boolean): void => {
      clearTimeout(timer);
      pipe.off('data', onData);
      pipe.off('close', onEnd);
      child.off('error', onEnd);
      pipe.pause();
      resolve(ready);
    };
    const onData = (): void => {
      finish(true);
    };
    const onEnd = (): void => {
      finish(false);
    };
    const timer = setTimeout(onEnd, READY_TIMEOUT_MS);
    timer.unref();
    pipe.on('data', onData);
    pipe.once('close', onEnd);
    child.once('error', onEnd);
  });
}

function pipeOf(child: CommandChild): Writable {
  if (child.stdin === null) throw new Error('a pipe command without a stdin pipe');
  return child.stdin;
}

function ignore(): void {
  // Errors on a waiting process's pipes are met again, and reported, by whoever uses them.
}
