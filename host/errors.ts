/** How a shell host fails a request, as the listener sees it. */

/** The host exited (killed, crashed, out of memory), could not start, or its channel broke: its shells are gone. */
export class HostDiedError extends Error {
  override readonly name = 'HostDiedError';
}

/** The host did not answer within the request's deadline: it hangs or is overloaded. */
export class HostTimeoutError extends Error {
  override readonly name = 'HostTimeoutError';
}

export type TargetKind = 'shell' | 'command';

/**
 * The host has no shell or command of that id: the listener's mirror and the host disagree (the
 * shell was closed, or the command removed, while the request was on its way). The client gets
 * the fault of a shell or command that does not exist.
 */
export class UnknownTargetError extends Error {
  override readonly name = 'UnknownTargetError';

  constructor(
    readonly target: TargetKind,
    readonly targetId: string,
  ) {
    super(`${target} ${targetId} does not exist in the shell host`);
  }
}
