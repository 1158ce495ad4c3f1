/**
 * The contract between the WinRS handlers (server/) and the processes that run commands (shell/).
 * shell/ knows nothing of SOAP: it runs processes, buffers their output with a bound, and reports
 * their state.
 */

export type OutputStreamName = 'stdout' | 'stderr';

export type ShellSignal = 'terminate' | 'ctrl_c' | 'ctrl_break';

/** How to start one command in a shell. */
export interface CommandLaunch {
  /** The command line as the client sent it: Command + ' ' + each Arguments element. */
  readonly commandLine: string;
  /** The Command element alone and the Arguments elements, for WINRS_SKIP_CMD_SHELL. */
  readonly executable: string;
  readonly args: readonly string[];
  /** WINRS_SKIP_CMD_SHELL: start the executable directly instead of through the interpreter. */
  readonly skipInterpreter: boolean;
  /** The exact program and arguments, when the command mapping chose them; then neither of the above applies. */
  readonly argv?: readonly string[] | undefined;
  /** ExitCode to report for a process exit status: Linux keeps 8 bits, Windows' codes (9009) need more. */
  readonly exitCodes?: ReadonlyMap<number, number> | undefined;
  /**
   * WINRS_CONSOLEMODE_STDIN=TRUE: stdin is a terminal (the command's controlling terminal) rather
   * than a pipe; stdout and stderr stay pipes, as on Windows (see console-stdin.ts).
   */
  readonly console?: boolean | undefined;
}

export interface ShellSettings {
  /** Absolute directory commands start in; it has been checked to exist. */
  readonly workingDirectory: string;
  /** The complete environment of every command in the shell. */
  readonly environment: Readonly<Record<string, string>>;
  /** Interpreter argv prefix, e.g. ['/bin/sh', '-c']; the command line is appended as one argument. */
  readonly interpreter: readonly string[];
  /** Unreceived output (stdout + stderr) a command may hold before its pipes are paused. */
  readonly maxBufferedBytes: number;
  /** Shell text run before each command line given to the interpreter (the login profile). */
  readonly commandPrelude?: string | undefined;
  /**
   * The cgroup.procs of the shell's memory cgroup (server/shell-cgroups.ts): each command writes
   * its own pid there before it execs, so it runs inside the shell's limit from its first instruction.
   */
  readonly memoryCgroupProcs?: string | undefined;
}

/** A Linux identity to start a shell host as, through util-linux's setpriv (winrmd must be root). */
export interface RunAsAccount {
  readonly uid: number;
  readonly gid: number;
  /** The whole supplementary group list, the primary group included, as initgroups(3) gives it. */
  readonly groupIds: readonly number[];
  readonly setprivPath: string;
}

export interface OutputChunk {
  readonly stream: OutputStreamName;
  readonly data: Buffer;
}

/** What one Receive takes from a command. */
export interface CommandOutput {
  /** Output in the order it was read from the pipes; never more than the maxBytes asked for in total. */
  readonly chunks: readonly OutputChunk[];
  /** Streams whose last byte is in `chunks` or was delivered earlier: the client is told End="true" once. */
  readonly endedStreams: readonly OutputStreamName[];
  /** Set once the process has exited and every byte of its output has been handed out. */
  readonly exitCode: number | undefined;
}

/**
 * A running command as the WinRS handlers use it: a CommandProcess in the shell host, or its proxy
 * in the listener (host/remote-shell.ts), which forwards each call over the host's channel.
 */
export interface CommandHandle {
  readonly id: string;
  readonly pid: number;
  /** A Receive has handed out the exit code. */
  readonly isFinished: boolean;
  /** Resolves once the data has been taken, or (a proxy) once it is on its way: see flushInput. */
  write(data: Buffer): Promise<void>;
  /**
   * Resolves once all the data written has been taken; rejects with the failure of a write that
   * resolved early (a proxy's, host/remote-shell.ts). Absent where write waits itself.
   */
  flushInput?(): Promise<void>;
  endInput(): void;
  signal(kind: ShellSignal): void;
  receive(streams: ReadonlySet<OutputStreamName>, maxBytes: number, abort: AbortSignal, runOverheadBytes?: number): Promise<CommandOutput>;
  /**
   * The client is expected to Receive next with these arguments: a proxy for a command in another
   * process may ask for the output ahead (host/read-ahead.ts).
   */
  expectReceive?(streams: ReadonlySet<OutputStreamName>, maxBytes: number, runOverheadBytes: number): void;
}

/** A shell as the WinRS handlers use it (ShellSession, or its proxy in the listener). */
export interface ShellHandle {
  readonly id: string;
  readonly settings: ShellSettings;
  /** Commands whose exit code has not yet been handed out; cheap and synchronous. */
  readonly commandCount: number;
  isClosed(): boolean;
  startCommand(commandId: string, launch: CommandLaunch): Promise<CommandHandle>;
  command(id: string): CommandHandle | undefined;
  removeCommand(id: string): Promise<void>;
  close(): Promise<void>;
}
