/**
 * Receive read-ahead, in the listener: as soon as a Receive has been answered with output, the next
 * one is asked of the shell host with the same parameters, so that the host's work and the transfer
 * over its channel overlap the client's round trip instead of following it. A client sends one
 * Receive per command at a time, so without this each chunk of a large output waits for two round
 * trips in a row: the client's and the host's.
 *
 * The next Receive takes the early answer when it asks for the same streams with at least the same
 * room. Any other Receive withdraws it: what it took is given back to the host ('unreceive'), in
 * front of the queue, so the client still gets every byte in order, and every end and exit code once.
 *
 * A command's first Receive is asked early too, as soon as the command has started, and patiently:
 * the host answers it once the process has ended (or an envelope's worth of output is waiting), or
 * as soon as there is news once the client's own Receive has come and hurried it. A command that
 * ends at once is then answered to the client without a round trip to the host, and still in one
 * Receive.
 */
import type { CommandOutput, OutputStreamName } from '../shell/types.js';

export interface ReceiveParameters {
  readonly streams: ReadonlySet<OutputStreamName>;
  readonly maxBytes: number;
  readonly runOverheadBytes: number;
}

/** `hurry`, given for a patient Receive, is when a client waits for it. */
export type ReceiveFetch = (parameters: ReceiveParameters, abort: AbortSignal, hurry?: AbortSignal) => Promise<CommandOutput>;

export class ReadAhead {
  private readonly cancel = new AbortController();
  /** For a patient one only. */
  private readonly hurry: AbortController | undefined;
  private readonly result: Promise<CommandOutput>;
  private answered = false;

  constructor(
    private readonly parameters: ReceiveParameters,
    fetch: ReceiveFetch,
    patient = false,
  ) {
    this.hurry = patient ? new AbortController() : undefined;
    this.result = fetch(parameters, this.cancel.signal, this.hurry?.signal);
    // Settled by whoever adopts or withdraws it, or by nobody when its command goes away first.
    this.result.then(
      () => {
        this.answered = true;
      },
      () => undefined,
    );
  }

  /** Whether its answer is one the host could have given to a Receive with `wanted`. */
  fits(wanted: ReceiveParameters): boolean {
    const { streams, maxBytes, runOverheadBytes } = this.parameters;
    return (
      runOverheadBytes === wanted.runOverheadBytes &&
      maxBytes <= wanted.maxBytes &&
      streams.size === wanted.streams.size &&
      [...streams].every((name) => wanted.streams.has(name))
    );
  }

  /** The answer, for a Receive that fits; that Receive's abort makes the host answer at once. */
  async adopt(abort: AbortSignal): Promise<CommandOutput> {
    // Already answered, as it usually is: nothing to hurry or to cancel. An AbortController's
    // abort dispatches an event, tens of microseconds, a good part of a Receive's handling.
    if (this.answered) return this.result;
    const stop = (): void => {
      this.cancel.abort();
    };
    if (abort.aborted) stop();
    else abort.addEventListener('abort', stop, { once: true });
    this.hurry?.abort();
    try {
      return await this.result;
    } finally {
      abort.removeEventListener('abort', stop);
    }
  }

  /** Ends it now; resolves with what it took, if anything, for the caller to give back. */
  async withdraw(): Promise<CommandOutput | undefined> {
    this.cancel.abort();
    try {
      const output = await this.result;
      return output.chunks.length > 0 || output.endedStreams.length > 0 || output.exitCode !== undefined ? output : undefined;
    } catch {
      // The host failed: the Receive that follows learns it from its own request.
      return undefined;
    }
  }

  /** Ends it without waiting: its command is going away, and its output with it. */
  drop(): void {
    this.cancel.abort();
  }
}
