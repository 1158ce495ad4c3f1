/**
 * The failures a command can report. Their messages are meant to reach a WinRS client as fault
 * text, so they carry no stack or host details beyond what the client asked to run.
 */

/** The process could not be started at all; `code` is the errno name, e.g. 'ENOENT' or 'EACCES'. */
export class CommandLaunchError extends Error {
  override readonly name = 'CommandLaunchError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Input arrived after the client sent EOF, or after the process closed its stdin (or exited). */
export class StdinClosedError extends Error {
  override readonly name = 'StdinClosedError';

  constructor(commandId: string) {
    super(`the input of command ${commandId} is closed`);
  }
}

/** A second Receive arrived while one was still waiting; WinRS allows one outstanding Receive. */
export class ReceiveBusyError extends Error {
  override readonly name = 'ReceiveBusyError';

  constructor(commandId: string) {
    super(`command ${commandId} already has a receive waiting`);
  }
}

/** A CommandId already names a command of the shell, or one being started (two Commands raced). */
export class CommandIdInUseError extends Error {
  override readonly name = 'CommandIdInUseError';

  constructor(
    readonly commandId: string,
    shellId: string,
  ) {
    super(`command ${commandId} already exists in shell ${shellId}`);
  }
}
