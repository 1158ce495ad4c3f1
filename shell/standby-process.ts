/**
 * A command's process, started before its Command arrives. Starting a process is most of what a
 * short command costs: a fork of the shell host, then for a console env(1) and setsid(1), then the
 * interpreter, each an exec (about 2 ms together on a small machine, on the path of every Command).
 * A shell keeps one process started ahead (shell-session.ts) that waits in /bin/sh to read its
 * command line from a pipe. A Command hands it the line, and the waiting sh execs the interpreter
 * on it, so the command runs as if it had been started with it: the same argv and pid, its own
 * session and process group, the shell's working directory, environment, console and cgroup.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

import type { CommandInput } from './command-input.js';
import { PipeInput } from './command-input.js';
import { memoryCgroupEntry, type CommandChild } from './command-process.js';
import { ConsoleInput, TERMINAL_MODES, consoleSize, stdioWithExtraPipe } from './console-stdin.js';
import { signalGroup } from './process-group.js';
import { findProgram } from './program-lookup.js';
import { findSetsid, findStty } from './system-programs.js';
import type { ShellSettings } from './types.js';

/**
 * What the waiting sh runs. $1 is the descriptor the command line arrives on; $2 the memory
 * cgroup's cgroup.procs or empty; $3 stty(1) for a console, or empty; the rest is the interpreter's
 * argv. A console's modes are set here, in the waiting process, rather than by a run of stty
 * forked from the host; and SIGHUP is ignored here (an ignored signal stays ignored across exec,
 * so the command and what it leaves running get it ignored, as ConsoleInput.wrap's env(1) does for a
 * command started the usual way), which spares the console's chain of programs one exec. The line is read a line at a time (`read` stops at each newline) and put back
 * together; the host ends it with a newline and then closes the pipe. An empty pipe (the host went
 * away) ends the process.
 */
const WAITING_SHELL = '/bin/sh';

const WAIT_SCRIPT = [
  `if [ -n "$2" ]; then ${memoryCgroupEntry('"$2"')}; fi`,
  `if [ -n "$3" ]; then trap '' HUP; "$3" ${TERMINAL_MODES.join(' ')} || exit 124; fi`,
  'IFS= read -r line <&"$1" || exit 125',
  'while IFS= read -r more <&"$1"; do line="$line',
  '$more"; done',
  'eval "exec $1<&-"',
  'shift 3',
  'exec "$@" "$line"',
].join('\n');

export class StandbyProcess {
  private discarding: Promise<void> | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: CommandChild,
    readonly pid: number,
    private readonly console: ConsoleInput | undefined,
    private readonly commandLinePipe: Writable,
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
    try {
      // As CommandProcess.start: only a piped command in a cgroup needs its program looked up.
      const entered = settings.memoryCgroupProcs === undefined || withConsole ? program : findProgram(program, settings.workingDirectory, settings.environment);
      if (withConsole) console = ConsoleInput.openWithKernelModes('(standby)', consoleSize(settings.environment));
      const { stdio, extraFd } = stdioWithExtraPipe(console?.stdin ?? 'pipe');
      const waiter = ['-c', WAIT_SCRIPT, 'winrmd-standby', String(extraFd), settings.memoryCgroupProcs ?? '', console === undefined ? '' : findStty(), entered, ...programArgs];
      // setsid(1) makes the console the session's controlling terminal, as in ConsoleInput.wrap.
      const target = console === undefined ? { file: WAITING_SHELL, args: waiter } : { file: findSetsid(), args: ['--ctty', '--', WAITING_SHELL, ...waiter] };
      const child = spawn(target.file, target.args, {
        cwd: settings.workingDirectory,
        env: { ...settings.environment },
        stdio,
        detached: console === undefined,
        // spawn() types a stdio array loosely; [fd or 'pipe', 'pipe', 'pipe', ..., 'pipe'] gives this.
      }) as CommandChild;
      child.on('error', ignore);
      child.stdout.on('error', ignore);
      child.stderr.on('error', ignore);
      const commandLinePipe = child.stdio[extraFd] as Writable | null;
      if (commandLinePipe === null) throw new Error('no pipe for the command line');
      commandLinePipe.on('error', ignore);
      const started = await new Promise<boolean>((resolve) => {
        child.once('spawn', () => {
          resolve(true);
        });
        child.once('error', () => {
          resolve(false);
        });
      });
      if (!started || child.pid === undefined) {
        console?.close();
        return undefined;
      }
      return new StandbyProcess(child, child.pid, console, commandLinePipe);
    } catch {
      console?.close();
      return undefined;
    }
  }

  get hasConsole(): boolean {
    return this.console !== undefined;
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
    this.console?.assign(commandId, consoleSize(settings.environment));
    this.commandLinePipe.end(`${commandLine}\n`);
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

function pipeOf(child: CommandChild): Writable {
  if (child.stdin === null) throw new Error('a pipe command without a stdin pipe');
  return child.stdin;
}

function ignore(): void {
  // Errors on a waiting process's pipes are met again, and reported, by whoever uses them.
}
