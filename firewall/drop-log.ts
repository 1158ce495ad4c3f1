/**
 * Every refused connection is counted and logged, like the Windows firewall's dropped-packet log
 * (time, source, destination, rule). The log is rate limited: a flood of refused connections
 * writes at most `maxLinesPerSecond` lines a second, then one line saying how many were left out,
 * so it cannot fill the disk; the count itself is never limited.
 */
import type { Profile } from './profiles.js';
import type { Transport } from './rules.js';

export interface DroppedConnection {
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
  readonly localAddress: string;
  readonly localPort: number | undefined;
  readonly transport: Transport | undefined;
  readonly profile: Profile | undefined;
  /** The block rule, `(no matching allow rule)`, or the Service filter that refused it. */
  readonly rule: string;
  /** Bytes read from the connection before it was refused: 0, which the log shows to prove it. */
  readonly bytesRead: number;
}

/** What the drop log writes to: pino's logger fits, and so does a test's recorder. */
export interface DropLogSink {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface DropLogOptions {
  readonly maxLinesPerSecond?: number;
  readonly now?: () => number;
  /**
   * Told of every drop (for metrics and security events); `logged` says whether the rate limit
   * let its line through, so that an event trail can follow the same limit as the log.
   */
  readonly onDrop?: (drop: DroppedConnection, logged: boolean) => void;
}

const WINDOW_MS = 1000;

export class DropLog {
  readonly #sink: DropLogSink;
  readonly #maxLines: number;
  readonly #now: () => number;
  readonly #onDrop: ((drop: DroppedConnection, logged: boolean) => void) | undefined;
  #dropped = 0;
  #windowStart = Number.NEGATIVE_INFINITY;
  #linesInWindow = 0;
  #suppressed = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(sink: DropLogSink, options: DropLogOptions = {}) {
    this.#sink = sink;
    this.#maxLines = options.maxLinesPerSecond ?? 10;
    this.#now = options.now ?? Date.now;
    this.#onDrop = options.onDrop;
  }

  /** Connections refused since start. */
  get dropped(): number {
    return this.#dropped;
  }

  record(drop: DroppedConnection): void {
    this.#dropped++;
    const now = this.#now();
    if (now - this.#windowStart >= WINDOW_MS) {
      this.flush();
      this.#windowStart = now;
      this.#linesInWindow = 0;
    }
    if (this.#linesInWindow < this.#maxLines) {
      this.#linesInWindow++;
      this.#sink.info({ event: 'firewall-drop', ...drop, dropped: this.#dropped }, 'connection refused');
      this.#onDrop?.(drop, true);
      return;
    }
    this.#suppressed++;
    this.#onDrop?.(drop, false);
    // The summary is due when the window ends, even if no further connection comes to trigger it.
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flush();
      }, Math.max(0, this.#windowStart + WINDOW_MS - now));
      this.#timer.unref();
    }
  }

  /** Writes the summary of lines left out, if any. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#suppressed === 0) return;
    this.#sink.info(
      { event: 'firewall-drop-suppressed', suppressed: this.#suppressed, dropped: this.#dropped },
      `${this.#suppressed} more refused connections not logged (rate limit)`,
    );
    this.#suppressed = 0;
  }
}
