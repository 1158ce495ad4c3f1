/** `winrmd events`: reading back, filtering, XML, and following the file across rotation. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSince, runEventsCommand } from '../../../cli/events-command.js';
import { main } from '../../../cli/main.js';
import type { EventRecord } from '../../../events/record.js';
import { RotatingFileSink } from '../../../events/sinks/rotating-file.js';
import { peer, recorderHarness } from './recorder-harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-events-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(): { io: { stdin: NodeJS.ReadableStream; stdout: { write(t: string): boolean }; stderr: { write(t: string): boolean } }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdin: process.stdin, stdout: { write: (t) => ((out += t), true) }, stderr: { write: (t) => ((err += t), true) } },
    out: () => out,
    err: () => err,
  };
}

function write(records: readonly EventRecord[], maxBytes = 1 << 20): RotatingFileSink {
  const sink = new RotatingFileSink({ path: join(dir, 'events.jsonl'), maxBytes, maxFiles: 5 }, (e) => {
    throw e;
  });
  for (const record of records) sink.write(record);
  return sink;
}

function sessionRecords(): EventRecord[] {
  const { recorder, records } = recorderHarness();
  recorder.notify({ kind: 'logon-failed', peer: peer('c0'), user: 'alice', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', failure: 'wrong-password', detail: 'x', handshakeMs: 1 });
  recorder.notify({ kind: 'logon-succeeded', peer: peer('c1'), user: 'alice', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs: 1 });
  return records;
}

describe('winrmd events', () => {
  it('prints every record as a JSON line, oldest first', async () => {
    await write(sessionRecords()).close();
    const { io, out } = capture();
    expect(await main(['events', '--state-dir', dir], io)).toBe(0);
    const lines = out().trim().split('\n').map((l) => JSON.parse(l) as EventRecord);
    expect(lines.map((r) => r.EventID)).toEqual([4625, 161, 4624, 169]);
  });

  it('filters by --id (repeated or comma-separated) and --since', async () => {
    const records = sessionRecords();
    const later = records.map((r, i) => (i >= 2 ? { ...r, TimeCreated: '2024-06-01T00:00:00.000Z' } : r));
    await write(later).close();
    const ids = capture();
    await main(['events', '--state-dir', dir, '--id', '4624', '--id', '4625,169'], ids.io);
    expect(ids.out().trim().split('\n').map((l) => (JSON.parse(l) as EventRecord).EventID)).toEqual([4625, 4624, 169]);
    const since = capture();
    await main(['events', '--state-dir', dir, '--since', '2024-05-15T00:00:00Z'], since.io);
    expect(since.out().trim().split('\n')).toHaveLength(2);
  });

  it('exports Windows event XML with --xml', async () => {
    await write(sessionRecords()).close();
    const { io, out } = capture();
    await main(['events', '--state-dir', dir, '--xml', '--id', '4625'], io);
    expect(out()).toContain('<Events>\n  <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">');
    expect(out()).toContain('<Data Name="SubStatus">0xc000006a</Data>');
    expect(out().match(/<Event /g)).toHaveLength(1);
  });

  it('refuses bad options as usage errors', async () => {
    for (const args of [['--id', 'x'], ['--since', 'yesterday'], ['extra']]) {
      const { io, err } = capture();
      expect(await main(['events', '--state-dir', dir, ...args], io)).toBe(2);
      expect(err()).toMatch(/^winrmd: /);
    }
  });

  it('follows the file as it grows and across a rotation', async () => {
    const first = sessionRecords();
    const sink = write(first, 1500);
    const { io, out } = capture();
    const controller = new AbortController();
    const running = runEventsCommand(['--state-dir', dir, '--follow'], io, controller.signal);
    await sleep(300);
    const { recorder, records } = recorderHarness();
    for (let i = 0; i < 20; i++) recorder.notify({ kind: 'operation', connectionId: 'c', user: 'a', operation: 'Command', resourceUri: undefined, shellId: `S${i}` });
    for (const record of records) {
      sink.write(record);
      await sleep(15);
    }
    const deadline = Date.now() + 3000;
    while (!out().includes('"ShellId":"S19"') && Date.now() < deadline) await sleep(50);
    controller.abort();
    expect(await running).toBe(0);
    const shells = out().trim().split('\n').map((l) => (JSON.parse(l) as EventRecord).Winrmd.ShellId).filter((s) => s !== undefined);
    expect(shells).toEqual(Array.from({ length: 20 }, (_, i) => `S${i}`));
    await sink.close();
  });
});

describe('parseSince', () => {
  it('reads ages and times', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    expect(parseSince('10m', now).toISOString()).toBe('2024-05-01T11:50:00.000Z');
    expect(parseSince('2d', now).toISOString()).toBe('2024-04-29T12:00:00.000Z');
    expect(parseSince('2024-04-01T00:00:00Z', now).toISOString()).toBe('2024-04-01T00:00:00.000Z');
  });
});
