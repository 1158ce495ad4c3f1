/**
 * `serve --transcript DIR` (Winrmd.TranscriptDir): every exchange of every connection, as plaintext
 * envelopes, one JSON-lines file per connection. Writes go through an append stream per connection,
 * so the request path never waits on the disk, and nothing here throws into it: a file that fails
 * to write is logged once and then left alone.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from './logger.js';
import { redactEnvelope, redactHeaders, type TranscriptEntry } from './transcript-entry.js';

export interface ExchangeRecord extends Omit<TranscriptEntry, 'headers' | 'envelope'> {
  readonly headers: Readonly<Record<string, unknown>>;
  readonly envelope: string | undefined;
}

interface ConnectionFile {
  readonly stream: WriteStream;
  failed: boolean;
}

export class TranscriptWriter {
  readonly #dir: string;
  readonly #log: Logger;
  readonly #files = new Map<string, ConnectionFile>();

  /** Creates DIR (0700) now, so that a directory that cannot be made stops the start. */
  constructor(dir: string, log: Logger) {
    this.#dir = resolve(dir);
    this.#log = log;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    log.warn({ event: 'transcript', dir: this.#dir }, 'writing transcripts: they hold command lines and output');
  }

  /** Appends one exchange half to its connection's file, opening the file on its first record. */
  record(socket: Socket, record: ExchangeRecord): void {
    try {
      const file = this.#fileFor(socket, record.connectionId, record.time);
      if (file.failed) return;
      const { envelope, headers, ...rest } = record;
      const entry: TranscriptEntry = {
        ...rest,
        headers: redactHeaders(headers),
        ...(envelope === undefined ? {} : { envelope: redactEnvelope(envelope) }),
      };
      file.stream.write(`${JSON.stringify(entry)}\n`);
      // A connection already gone (the reply raced its close) has no close event left to wait for.
      if (socket.destroyed) this.#finish(record.connectionId, file);
    } catch (error) {
      // Not expected (the stream reports its errors by event), but a transcript must not break a request.
      this.#log.error({ event: 'transcript-error', err: error }, 'transcript record failed');
    }
  }

  #fileFor(socket: Socket, connectionId: string, time: string): ConnectionFile {
    const existing = this.#files.get(connectionId);
    if (existing !== undefined) return existing;
    // Colons in file names trouble Windows tools, and these files go to people on Windows.
    const path = join(this.#dir, `${time.replace(/:/g, '-')}-${connectionId}.jsonl`);
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    const file: ConnectionFile = { stream, failed: false };
    stream.on('error', (error) => {
      if (file.failed) return;
      file.failed = true;
      this.#log.error({ event: 'transcript-error', path, err: error }, 'transcript file failed; no more is written to it');
      stream.destroy();
    });
    this.#files.set(connectionId, file);
    socket.once('close', () => {
      this.#finish(connectionId, file);
    });
    return file;
  }

  #finish(connectionId: string, file: ConnectionFile): void {
    if (this.#files.get(connectionId) === file) this.#files.delete(connectionId);
    if (!file.failed && !file.stream.writableEnded) file.stream.end();
  }

  /** Ends every open file (at shutdown; the sockets' close events may come after). */
  async close(): Promise<void> {
    const ending = [...this.#files.values()].map(
      (file) =>
        new Promise<void>((done) => {
          if (file.failed || file.stream.writableFinished) {
            done();
            return;
          }
          file.stream.end(() => {
            done();
          });
          file.stream.once('error', () => {
            done();
          });
        }),
    );
    this.#files.clear();
    await Promise.all(ending);
  }
}
