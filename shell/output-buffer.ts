/**
 * The unreceived output of one command: what its pipes produced that no Receive has taken yet.
 *
 * Each stream has its own queue so that a Receive asking for one stream can leave the other's data
 * in place; a sequence number shared by both queues keeps arrival order when a Receive asks for both.
 */
import type { OutputChunk, OutputStreamName } from './types.js';

interface Piece {
  readonly seq: number;
  data: Buffer;
}

/** A FIFO that pops by advancing an index, so a command writing byte by byte does not cost O(n²). */
class StreamQueue {
  private pieces: Piece[] = [];
  private head = 0;
  bytes = 0;
  /** The pipe has closed: no more data will be queued. */
  closed = false;
  /** A Receive has told the client this stream ended. */
  endReported = false;

  get first(): Piece | undefined {
    return this.pieces[this.head];
  }

  get isEmpty(): boolean {
    return this.bytes === 0;
  }

  push(piece: Piece): void {
    this.pieces.push(piece);
    this.bytes += piece.data.length;
  }

  /** Puts a piece back in front of the line (see OutputBuffer.restore). */
  unshift(piece: Piece): void {
    if (this.head > 0) this.pieces[--this.head] = piece;
    else this.pieces.unshift(piece);
    this.bytes += piece.data.length;
  }

  /** Takes up to `limit` bytes of the first piece; a remainder stays first in line. */
  takeFromFirst(limit: number): Buffer | undefined {
    const piece = this.first;
    if (piece === undefined) return undefined;
    if (piece.data.length > limit) {
      const taken = piece.data.subarray(0, limit);
      piece.data = piece.data.subarray(limit);
      this.bytes -= limit;
      return taken;
    }
    this.head += 1;
    this.bytes -= piece.data.length;
    this.compact();
    return piece.data;
  }

  clear(): void {
    this.pieces = [];
    this.head = 0;
    this.bytes = 0;
  }

  private compact(): void {
    if (this.head === this.pieces.length) {
      this.clear();
    } else if (this.head > 1024 && this.head * 2 > this.pieces.length) {
      this.pieces = this.pieces.slice(this.head);
      this.head = 0;
    }
  }
}

export interface TakenOutput {
  readonly chunks: readonly OutputChunk[];
  readonly endedStreams: readonly OutputStreamName[];
}

export class OutputBuffer {
  private readonly queues: Readonly<Record<OutputStreamName, StreamQueue>> = {
    stdout: new StreamQueue(),
    stderr: new StreamQueue(),
  };
  private nextSeq = 0;
  /** Restored output goes before everything queued, so its sequence numbers count down from here. */
  private frontSeq = -1;

  /** Unreceived bytes of both streams together: what the backpressure bound applies to. */
  get bytes(): number {
    return this.queues.stdout.bytes + this.queues.stderr.bytes;
  }

  /**
   * Both pipes have closed and every byte of `streams` has been taken. A client that asks for one
   * stream only has said it does not want the other, so unreceived bytes there do not hold it up.
   */
  isDrainedFor(streams: ReadonlySet<OutputStreamName>): boolean {
    return this.isClosed && [...streams].every((name) => this.queues[name].isEmpty);
  }

  /** Both pipes have closed: no more output will come. */
  get isClosed(): boolean {
    return this.queues.stdout.closed && this.queues.stderr.closed;
  }

  append(stream: OutputStreamName, data: Buffer): void {
    if (data.length === 0) return;
    this.queues[stream].push({ seq: this.nextSeq++, data });
  }

  close(stream: OutputStreamName): void {
    this.queues[stream].closed = true;
  }

  /**
   * Gives back what a take() handed out but nobody delivered (a Receive read ahead for a client that
   * then asked for something else, host/read-ahead.ts): it goes in front of everything queued since,
   * in its own order, and the ends it reported are reported again.
   */
  restore(taken: TakenOutput): void {
    for (let i = taken.chunks.length - 1; i >= 0; i--) {
      const chunk = taken.chunks[i];
      if (chunk === undefined || chunk.data.length === 0) continue;
      this.queues[chunk.stream].unshift({ seq: this.frontSeq--, data: chunk.data });
    }
    for (const name of taken.endedStreams) this.queues[name].endReported = false;
  }

  /** Forgets all unreceived output, e.g. when the command is killed and nobody will ask for it. */
  discard(): void {
    this.queues.stdout.clear();
    this.queues.stderr.clear();
  }

  /** Whether any of `streams` holds unreceived bytes. */
  hasData(streams: ReadonlySet<OutputStreamName>): boolean {
    for (const name of streams) if (!this.queues[name].isEmpty) return true;
    return false;
  }

  /** Whether a Receive for `streams` would get data or an end it has not been told about. */
  hasNews(streams: ReadonlySet<OutputStreamName>): boolean {
    for (const name of streams) {
      const queue = this.queues[name];
      if (!queue.isEmpty || (queue.closed && !queue.endReported)) return true;
    }
    return false;
  }

  /**
   * Takes up to `maxBytes` bytes of the requested streams in arrival order, and marks as reported
   * each requested stream whose last byte is now out. At least one byte goes out when any is
   * waiting, so a tiny `maxBytes` still makes progress. Each run after the first (a switch between
   * stdout and stderr) costs `runOverheadBytes` of the budget: the caller's envelope pays for the
   * tags of every Stream element, so this keeps a reply within its size however output alternates.
   */
  take(streams: ReadonlySet<OutputStreamName>, maxBytes: number, runOverheadBytes = 0): TakenOutput {
    const runs: Run[] = [];
    let budget = Number.isNaN(maxBytes) ? 1 : Math.max(1, Math.floor(maxBytes));
    while (budget > 0) {
      const next = this.oldest(streams);
      if (next === undefined) break;
      const last = runs.at(-1);
      if (last !== undefined && last.stream !== next) {
        if (budget <= runOverheadBytes) break;
        budget -= runOverheadBytes;
      }
      const data = this.queues[next].takeFromFirst(budget);
      if (data === undefined) break;
      budget -= data.length;
      if (last?.stream === next) last.parts.push(data);
      else runs.push({ stream: next, parts: [data] });
    }
    const endedStreams: OutputStreamName[] = [];
    for (const name of streams) {
      const queue = this.queues[name];
      if (queue.closed && queue.isEmpty && !queue.endReported) {
        queue.endReported = true;
        endedStreams.push(name);
      }
    }
    return { chunks: runs.map(toChunk), endedStreams };
  }

  private oldest(streams: ReadonlySet<OutputStreamName>): OutputStreamName | undefined {
    let best: OutputStreamName | undefined;
    let bestSeq = Infinity;
    for (const name of streams) {
      const seq = this.queues[name].first?.seq;
      if (seq !== undefined && seq < bestSeq) {
        best = name;
        bestSeq = seq;
      }
    }
    return best;
  }
}

/**
 * Adjacent pieces of one stream go out as one chunk, so the client sees fewer, larger Stream
 * elements; they are joined once per run rather than piece by piece.
 */
interface Run {
  readonly stream: OutputStreamName;
  readonly parts: Buffer[];
}

function toChunk({ stream, parts }: Run): OutputChunk {
  const [only] = parts;
  return { stream, data: parts.length === 1 && only !== undefined ? only : Buffer.concat(parts) };
}
