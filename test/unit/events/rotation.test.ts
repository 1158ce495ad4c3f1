/** The events file never grows without bound, and reads back oldest first across its rotations. */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextRecordId, readEvents } from '../../../events/reader.js';
import { RotatingFileSink } from '../../../events/sinks/rotating-file.js';
import { recorderHarness } from './recorder-harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-events-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Real records from the recorder, so that sizes are realistic. */
function sampleRecords(count: number): ReturnType<typeof recorderHarness>['records'] {
  const { recorder, records } = recorderHarness();
  for (let i = 0; i < count; i++) {
    recorder.notify({ kind: 'operation', connectionId: `c${i}`, user: 'alice', operation: 'Command', resourceUri: undefined, shellId: 'S' });
  }
  return records;
}

describe('RotatingFileSink', () => {
  it('keeps at most MaxFiles files of at most MaxFileSize each, dropping the oldest records', async () => {
    const path = join(dir, 'events.jsonl');
    const errors: unknown[] = [];
    const sink = new RotatingFileSink({ path, maxBytes: 4096, maxFiles: 3 }, (e) => errors.push(e));
    const records = sampleRecords(500);
    for (const record of records) sink.write(record);
    await sink.close();
    expect(errors).toEqual([]);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['events.jsonl', 'events.jsonl.1', 'events.jsonl.2']);
    for (const file of files) expect((await stat(join(dir, file))).size).toBeLessThanOrEqual(4096);
    const kept = readEvents(path, 3);
    // The newest records survive, in order, with nothing missing between the first kept and the last.
    const keptIds = kept.map((r) => r.EventRecordID);
    expect(keptIds.at(-1)).toBe(500);
    expect(keptIds).toEqual(Array.from({ length: keptIds.length }, (_, i) => 500 - keptIds.length + 1 + i));
    expect(keptIds.length).toBeLessThan(500);
    expect(nextRecordId(path)).toBe(501);
  });

  it('creates the file private to its owner', async () => {
    const path = join(dir, 'sub', 'events.jsonl');
    const sink = new RotatingFileSink({ path, maxBytes: 1 << 20, maxFiles: 2 }, () => undefined);
    for (const record of sampleRecords(1)) sink.write(record);
    await sink.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('with MaxFiles 1, starts the file afresh instead of growing it', async () => {
    const path = join(dir, 'events.jsonl');
    const sink = new RotatingFileSink({ path, maxBytes: 2048, maxFiles: 1 }, () => undefined);
    for (const record of sampleRecords(100)) sink.write(record);
    await sink.close();
    expect(await readdir(dir)).toEqual(['events.jsonl']);
    expect((await stat(path)).size).toBeLessThanOrEqual(2048);
  });

  it('reports a failure to write once, and carries on', () => {
    const errors: unknown[] = [];
    const sink = new RotatingFileSink({ path: '/proc/version/impossible/events.jsonl', maxBytes: 1024, maxFiles: 2 }, (e) => errors.push(e));
    for (const record of sampleRecords(3)) sink.write(record);
    expect(errors).toHaveLength(1);
  });

  it('reads nothing and numbers from 1 where there is no file yet', () => {
    expect(readEvents(join(dir, 'none.jsonl'), 5)).toEqual([]);
    expect(nextRecordId(join(dir, 'none.jsonl'))).toBe(1);
  });
});
