/**
 * The events file: one JSON record per line, rotated by size so that it is never unbounded.
 * `events.jsonl` is written; when the next line would take it past maxBytes it becomes
 * `events.jsonl.1` (the older ones shift to .2, .3...) and the oldest beyond maxFiles is deleted,
 * as logrotate does. So the files hold at most maxFiles × maxBytes (a single line longer than
 * maxBytes gets a file of its own).
 *
 * Writes are synchronous: records are small, their order is the order of events, and a record
 * written is on disk if the process dies a moment later, which matters for an audit trail.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventRecord } from '../record.js';
import type { EventSink } from './event-sink.js';

export interface RotationSettings {
  readonly path: string;
  readonly maxBytes: number;
  /** Files kept, the one being written included; at least 1. */
  readonly maxFiles: number;
}

/** The rotated files of `path`, newest first: path.1, path.2, ... */
export function rotatedPath(path: string, index: number): string {
  return index === 0 ? path : `${path}.${index}`;
}

export class RotatingFileSink implements EventSink {
  readonly #settings: RotationSettings;
  readonly #onError: (error: unknown) => void;
  #fd: number | undefined;
  #size = 0;
  #failed = false;

  constructor(settings: RotationSettings, onError: (error: unknown) => void) {
    this.#settings = { ...settings, maxFiles: Math.max(1, settings.maxFiles) };
    this.#onError = onError;
  }

  write(record: EventRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    try {
      this.#open();
      if (this.#size > 0 && this.#size + line.length > this.#settings.maxBytes) this.#rotate();
      writeSync(this.#open(), line);
      this.#size += line.length;
      this.#failed = false;
    } catch (error) {
      // Reported once per run of failures (a full disk would otherwise report every event).
      if (!this.#failed) this.#onError(error);
      this.#failed = true;
      this.#closeFile();
    }
  }

  close(): Promise<void> {
    this.#closeFile();
    return Promise.resolve();
  }

  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    mkdirSync(dirname(this.#settings.path), { recursive: true, mode: 0o700 });
    // Private: the records name accounts, addresses and command lines.
    const fd = openSync(this.#settings.path, 'a', 0o600);
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
    return fd;
  }

  #rotate(): void {
    this.#closeFile();
    const { path, maxFiles } = this.#settings;
    rmSync(rotatedPath(path, maxFiles - 1), { force: true });
    for (let index = maxFiles - 2; index >= 0; index--) {
      try {
        renameSync(rotatedPath(path, index), rotatedPath(path, index + 1));
      } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
      }
    }
    this.#open();
  }

  #closeFile(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Already gone; nothing to keep.
    }
    this.#fd = undefined;
  }
}
