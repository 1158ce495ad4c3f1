/**
 * The log's destination (server/log-destination.ts): lines logged close together reach the writer
 * as one write, in order, when their request ends or within the gathering time; flushing (serve's
 * end, the process's exit) writes what is gathered at once.
 */
import { describe, expect, it } from 'vitest';

import { GatheredLines, type LineWriter } from '../../../server/log-destination.js';
import { createLogger, releaseGatheredLines } from '../../../server/logger.js';

class RecordingWriter implements LineWriter {
  readonly writes: string[] = [];
  flushes = 0;
  syncFlushes = 0;

  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }

  flush(done?: (error?: Error) => void): void {
    this.flushes += 1;
    done?.();
  }

  flushSync(): void {
    this.syncFlushes += 1;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('gathered log lines', () => {
  it('writes the lines of a burst as one write, in order, once the gathering time is over', async () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, 30);
    lines.write('one\n');
    lines.write('two\n');
    await sleep(5);
    lines.write('three\n');
    expect(writer.writes).toEqual([]);
    await sleep(60);
    expect(writer.writes).toEqual(['one\ntwo\nthree\n']);
    lines.write('four\n');
    await sleep(60);
    expect(writer.writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
  });

  it('writes what is gathered when flushed, and nothing twice', async () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, 30);
    lines.write('a\n');
    let flushed = false;
    lines.flush(() => {
      flushed = true;
    });
    expect(writer.writes).toEqual(['a\n']);
    expect(flushed).toBe(true);
    lines.write('b\n');
    lines.flushSync();
    expect(writer.writes).toEqual(['a\n', 'b\n']);
    expect(writer.syncFlushes).toBe(1);
    await sleep(60);
    expect(writer.writes).toEqual(['a\n', 'b\n']);
  });

  it('writes nothing while nothing is logged', async () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, 10);
    await sleep(40);
    lines.flushSync();
    expect(writer.writes).toEqual([]);
  });
});

describe("a request's lines", () => {
  it('leave when the request ends, before the gathering time is over', () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, 10_000);
    const log = createLogger('info', lines);
    log.info({ event: 'shell-created' }, 'shell created');
    log.child({ request: 1 }).info({ event: 'request' }, 'request');
    expect(writer.writes).toEqual([]);
    releaseGatheredLines(log.child({ other: true }));
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]?.trimEnd().split('\n').map((line) => (JSON.parse(line) as { event: string }).event)).toEqual(['shell-created', 'request']);
    lines.flushSync();
  });
});
