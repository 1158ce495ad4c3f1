/** How a shell host fails a request, as the listener sees it. */

/** The host exited (killed, crashed, out of memory) or its channel broke: its shells are gone. */
export class HostDiedError extends Error {
  override readonly name = 'HostDiedError';
}

/** The host did not answer within the request's deadline: it hangs or is overloaded. */
export class HostTimeoutError extends Error {
  override readonly name = 'HostTimeoutError';
}
