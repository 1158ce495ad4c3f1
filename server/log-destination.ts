/**
 * Where the log's lines go: gathered, then written to stdout in one go when the request that logged
 * them ends (server/http-listener.ts), or a few milliseconds after the first of them.
 *
 * Each write, even an asynchronous one, costs winrmd a hand-off to libuv's thread pool and wakes
 * the reader of the pipe or journal; a request of a shell logs two to four lines (its events and
 * its request line), so pywinrm's run_cmd cost fifteen such writes, and these were about a tenth of
 * the listener's CPU. Written per request, a request's lines are still out as soon as its reply
 * is; lines of no request (a shell's idle timeout, a host's end) wait at most GATHER_MS. What is
 * still gathered when the process exits is written synchronously then.
 */
import { writeSync } from 'node:fs';
import { pino, type DestinationStream } from 'pino';

/** The part of pino's asynchronous writer (sonic-boom, made by pino.destination) used here. */
export interface LineWriter {
  write(text: string): unknown;
  flush(done?: (error?: Error) => void): void;
  flushSync(): void;
}

const GATHER_MS = 20;

export class GatheredLines implements DestinationStream {
  #lines: string[] = [];
  #timer: NodeJS.Timeout | undefined;

  /**
   * `writeNow` writes synchronously to the writer's descriptor: at exit, what the writer is still
   * writing asynchronously is beyond its flushSync(), and so would be anything handed to it then.
   */
  constructor(
    private readonly target: LineWriter,
    private readonly writeNow: (text: string) => void,
    private readonly gatherMs = GATHER_MS,
  ) {}

  write(line: string): void {
    this.#lines.push(line);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.release();
      }, this.gatherMs);
      // A gathered line never keeps the process alive: the exit hook writes it.
      this.#timer.unref();
    }
  }

  /** Writes what is gathered; `done` once it has reached the descriptor. */
  flush(done?: (error?: Error) => void): void {
    this.release();
    this.target.flush(done);
  }

  /** For the process's exit: everything, written before this returns. */
  flushSync(): void {
    const text = this.#take();
    try {
      this.target.flushSync();
    } catch {
      // A descriptor the writer cannot write (closed, broken pipe): the gathered text still gets its try.
    }
    if (text !== '') this.writeNow(text);
  }

  /** Hands what is gathered to the writer, which writes it asynchronously. */
  release(): void {
    const text = this.#take();
    if (text !== '') this.target.write(text);
  }

  #take(): string {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const text = this.#lines.join('');
    this.#lines = [];
    return text;
  }
}

/** The log's default destination: stdout, asynchronously, in gathered writes; flushed at exit. */
export function gatheredStdout(): GatheredLines {
  // minLength keeps sonic-boom's flush() meaningful (with 0 it returns at once); gathering already
  // sized the writes, so any write reaches the descriptor at once.
  const lines = new GatheredLines(pino.destination({ dest: 1, sync: false, minLength: 1 }), (text) => {
    writeAllSync(1, text);
  });
  process.once('exit', () => {
    lines.flushSync();
  });
  return lines;
}

/** Writes all of `text`, waiting out a full non-blocking pipe for a second at most. */
function writeAllSync(fd: number, text: string): void {
  let rest = Buffer.from(text);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waits = 0; rest.length > 0 && waits < 1000; ) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      // Nothing else to do at exit with a descriptor that fails: the lines are lost.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      waits += 1;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
