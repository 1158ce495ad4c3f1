/**
 * The listener's side of one shell host's channel: requests with ids, their replies matched back,
 * a deadline on each so that a hung host yields an error rather than a hang, and every pending
 * request failed at once when the host dies.
 */
import { CommandIdInUseError, CommandLaunchError, ReceiveBusyError, StdinClosedError } from '../shell/errors.js';
import { HostDiedError, HostTimeoutError, UnknownTargetError } from './errors.js';
import type { FromHost, HostOperation, HostResults, ToHost, WireError } from './protocol.js';

export interface RequestOptions {
  /** Fail with HostTimeoutError if no reply came this long after sending (non-polling operations). */
  readonly deadlineMs?: number | undefined;
  /**
   * The operation is one the host answers from its event loop alone (opening a shell), so no
   * answer by the deadline means the host hangs, as an unanswered cancel does (onUnresponsive).
   */
  readonly lateMeansHung?: boolean | undefined;
  /** For a Receive: when it fires, the host is asked to answer at once, within `graceMs`. */
  readonly abort?: AbortSignal | undefined;
  readonly graceMs?: number | undefined;
  /** For a patient Receive: when it fires, the host is asked to answer as to a client's Receive. */
  readonly hurry?: AbortSignal | undefined;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly cleanup: () => void;
}

/** The default grace, after a Receive's abort, for the host's answer. */
const CANCEL_GRACE_MS = 5000;

export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private death: string | undefined;
  private answered = false;
  /**
   * Told when the host let a cancelled Receive's grace pass without an answer (or the deadline of
   * a `lateMeansHung` request): a host that cannot answer those at once is hung (stopped, or its
   * event loop stuck), so its owner ends it
   * (server/shell-hosts.ts), which fails everything waiting on it and frees its user for a new one.
   */
  onUnresponsive: ((reason: string) => void) | undefined;

  /** `send` puts a message on the channel; the owner feeds replies to `receive` and the end to `died`. */
  constructor(private readonly send: (message: ToHost) => void) {}

  get isDead(): boolean {
    return this.death !== undefined;
  }

  /** The host has answered a request: it is up and working, not only started. */
  get hasAnswered(): boolean {
    return this.answered;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request<K extends HostOperation['op']>(operation: Extract<HostOperation, { op: K }>, options: RequestOptions = {}): Promise<HostResults[K]> {
    if (this.death !== undefined) return Promise.reject(new HostDiedError(this.death));
    const id = this.nextId++;
    return new Promise<HostResults[K]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number, what: string, hung: boolean): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const reason = `the shell host did not answer ${what} within ${ms} ms`;
          this.settle(id)?.reject(new HostTimeoutError(reason));
          if (hung && this.death === undefined) this.onUnresponsive?.(reason);
        }, ms);
        timer.unref();
      };
      const onHurry = (): void => {
        this.post({ op: 'hurry', id });
      };
      const onAbort = (): void => {
        this.post({ op: 'cancel', id });
        // A healthy host answers a cancel from its event loop at once, whatever its commands do.
        arm(options.graceMs ?? CANCEL_GRACE_MS, `the cancel of a ${operation.op}`, true);
      };
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          options.abort?.removeEventListener('abort', onAbort);
          options.hurry?.removeEventListener('abort', onHurry);
        },
      });
      // For most operations not proof of a hang: a write waits on a command that does not read, a
      // start on a busy system, a close on processes that take their time to exit.
      if (options.deadlineMs !== undefined) arm(options.deadlineMs, operation.op, options.lateMeansHung === true);
      this.post({ ...operation, id });
      // A channel that failed the post has settled the request already (died).
      if (!this.pending.has(id)) return;
      if (options.abort !== undefined) {
        if (options.abort.aborted) onAbort();
        else options.abort.addEventListener('abort', onAbort, { once: true });
      }
      if (options.hurry !== undefined) {
        if (options.hurry.aborted) onHurry();
        else options.hurry.addEventListener('abort', onHurry, { once: true });
      }
    });
  }

  /** A message from the host. */
  receive(message: FromHost): void {
    const pending = this.settle(message.id);
    if (pending === undefined) return; // Answered after its deadline: nobody waits for it now.
    this.answered = true;
    if (message.ok) pending.resolve(message.value);
    else pending.reject(fromWire(message.error));
  }

  /** The host is gone: every request waiting on it fails now, and every later one at once. */
  died(reason: string): void {
    if (this.death !== undefined) return;
    this.death = reason;
    const waiting = [...this.pending.keys()];
    for (const id of waiting) this.settle(id)?.reject(new HostDiedError(reason));
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (pending === undefined) return undefined;
    this.pending.delete(id);
    pending.cleanup();
    return pending;
  }

  private post(message: ToHost): void {
    try {
      this.send(message);
    } catch (error) {
      // A channel that cannot take a message is a dead host, whatever its exit event says later.
      this.died(`the channel to the shell host failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The host's errors as the handlers know them, so that each still gets its own fault. */
function fromWire(error: WireError): Error {
  switch (error.name) {
    case 'CommandLaunchError':
      return new CommandLaunchError(error.code ?? 'EIO', error.message);
    case 'StdinClosedError':
      return Object.assign(new StdinClosedError(''), { message: error.message });
    case 'ReceiveBusyError':
      return Object.assign(new ReceiveBusyError(''), { message: error.message });
    case 'UnknownTargetError':
      return new UnknownTargetError(error.code === 'command' ? 'command' : 'shell', error.target ?? '');
    case 'CommandIdInUseError':
      return Object.assign(new CommandIdInUseError(error.target ?? '', ''), { message: error.message });
    default:
      return new Error(`shell host: ${error.message}`);
  }
}
