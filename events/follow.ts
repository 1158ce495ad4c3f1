/**
 * `winrmd events --follow`: the current events file read from the start and then as it grows, and
 * across rotation (like `tail -F`): the open descriptor keeps the renamed file, which is read to
 * its end; files rotated after it in the meantime (a burst can rotate several times between two
 * polls) are read whole; then the new current file is opened.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { rotatedPath } from './sinks/rotating-file.js';

const CHUNK = 64 * 1024;

function tryOpen(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** The rotated files newer than the one with inode `ino` (which is now `path.k`), oldest first. */
function rotatedSince(path: string, maxFiles: number, ino: number): string[] {
  for (let index = 1; index < maxFiles; index++) {
    if (inodeOf(rotatedPath(path, index)) === ino) {
      return Array.from({ length: index - 1 }, (_, i) => rotatedPath(path, index - 1 - i));
    }
  }
  return [];
}

/** Calls `onLine` for each complete line of `path` (rotated up to `maxFiles`) until `signal` aborts. */
export async function followLines(path: string, maxFiles: number, onLine: (line: string) => void, signal: AbortSignal, pollMs = 100): Promise<void> {
  let fd: number | undefined;
  let position = 0;
  let pending = '';
  const buffer = Buffer.alloc(CHUNK);
  const drain = (): void => {
    if (fd === undefined) return;
    for (let read = readSync(fd, buffer, 0, CHUNK, position); read > 0; read = readSync(fd, buffer, 0, CHUNK, position)) {
      position += read;
      pending += buffer.toString('utf8', 0, read);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') onLine(line);
    }
  };
  try {
    while (!signal.aborted) {
      fd ??= tryOpen(path);
      drain();
      // Rotated (or removed and recreated): finish the old file, then start on the new one.
      if (fd !== undefined && inodeOf(path) !== fstatSync(fd).ino) {
        drain();
        for (const newer of rotatedSince(path, maxFiles, fstatSync(fd).ino)) {
          for (const line of readFileSync(newer, 'utf8').split('\n')) if (line !== '') onLine(line);
        }
        closeSync(fd);
        fd = undefined;
        position = 0;
        pending = '';
        continue;
      }
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
