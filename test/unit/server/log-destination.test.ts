/**
 * The log's destination (server/log-destination.ts): lines logged close together reach the writer
 * as one write, in order, when their request ends or within the gathering time; at exit, what is
 * gathered is written synchronously even while the writer is busy with an earlier write.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../../config/index.js';
import { GatheredLines, type LineWriter } from '../../../server/log-destination.js';
import { createLogger, releaseGatheredLines } from '../../../server/logger.js';
import { startEndpoint } from '../../../server/start-endpoint.js';
import { UserStore } from '../../../users/index.js';
import { buildIdentify } from '../../support/wsman-xml.js';
import { waitFor } from '../shell/helpers.js';

/**
 * Records writes as sonic-boom makes them: a write is in flight until the test completes it, and
 * flushSync() writes only what was queued behind the write in flight, as sonic-boom's does.
 */
class RecordingWriter implements LineWriter {
  readonly written: string[] = [];
  inFlight: string | undefined;
  readonly queued: string[] = [];

  write(text: string): boolean {
    if (this.inFlight === undefined) this.inFlight = text;
    else this.queued.push(text);
    return true;
  }

  completeWrite(): void {
    if (this.inFlight !== undefined) this.written.push(this.inFlight);
    this.inFlight = this.queued.shift();
  }

  flush(done?: (error?: Error) => void): void {
    while (this.inFlight !== undefined) this.completeWrite();
    done?.();
  }

  flushSync(): void {
    this.written.push(...this.queued.splice(0));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('gathered log lines', () => {
  it('are written as one write, in order, once the gathering time is over', async () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, () => undefined, 300);
    lines.write('one\n');
    lines.write('two\n');
    lines.write('three\n');
    expect(writer.inFlight).toBeUndefined();
    await waitFor(() => writer.inFlight !== undefined, 'the gathered write');
    expect(writer.inFlight).toBe('one\ntwo\nthree\n');
    writer.completeWrite();
    lines.write('four\n');
    await waitFor(() => writer.inFlight !== undefined, 'the next gathered write');
    expect(writer.written).toEqual(['one\ntwo\nthree\n']);
    expect(writer.inFlight).toBe('four\n');
  });

  it('are written synchronously at exit, behind what the writer had queued, while a write is in flight', () => {
    const writer = new RecordingWriter();
    const direct: string[] = [];
    const lines = new GatheredLines(writer, (text) => direct.push(text), 10_000);
    lines.write('first\n');
    lines.release();
    lines.write('second\n');
    lines.release();
    lines.write('last\n');
    expect(writer.inFlight).toBe('first\n');
    lines.flushSync();
    // sonic-boom leaves the write in flight to its thread; the rest is out before flushSync returns.
    expect(writer.written).toEqual(['second\n']);
    expect(direct).toEqual(['last\n']);
  });

  it('are written at exit even when the writer fails to write what it had', () => {
    const writer = new RecordingWriter();
    writer.flushSync = () => {
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    };
    const direct: string[] = [];
    const lines = new GatheredLines(writer, (text) => direct.push(text), 10_000);
    lines.write('kept\n');
    lines.flushSync();
    expect(direct).toEqual(['kept\n']);
  });

  it('are handed on when flushed, and the flush is done once the writer has written them', async () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, () => undefined, 10_000);
    lines.write('a\n');
    let flushed = false;
    lines.flush(() => {
      flushed = true;
    });
    expect(writer.written).toEqual(['a\n']);
    expect(flushed).toBe(true);
    await sleep(20);
    expect(writer.written).toEqual(['a\n']);
  });
});

describe("a request's lines", () => {
  it('are written when released through any of the logger’s children', () => {
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, () => undefined, 10_000);
    const log = createLogger('info', lines);
    log.info({ event: 'shell-created' }, 'shell created');
    log.child({ request: 1 }).info({ event: 'request' }, 'request');
    expect(writer.inFlight).toBeUndefined();
    releaseGatheredLines(log.child({ other: true }));
    const events = writer.inFlight?.trimEnd().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(['shell-created', 'request']);
  });

  it('leave the endpoint when the request ends, long before the gathering time', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'winrmd-log-'));
    const writer = new RecordingWriter();
    const lines = new GatheredLines(writer, () => undefined, 60_000);
    const config = await loadConfig({ overrides: { 'Service.DefaultPorts.HTTP': 0, 'Service.DefaultPorts.HTTPS': 0, 'Listener.Address': '127.0.0.1' } });
    const endpoint = await startEndpoint(config, stateDir, UserStore.open(stateDir), createLogger('debug', lines));
    try {
      writer.flush();
      const body = buildIdentify();
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const post = request(
          { host: '127.0.0.1', port: endpoint.ports.http, path: '/wsman', method: 'POST', headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8', WSMANIDENTIFY: 'unauthenticated' } },
          (response) => {
            response.resume();
            response.on('end', () => {
              resolve(response.statusCode);
            });
          },
        );
        post.on('error', reject);
        post.end(body);
      });
      expect(status).toBe(200);
      await waitFor(() => writer.inFlight?.includes('"event":"request"') === true, 'the request line', 2000);
    } finally {
      await endpoint.close();
      lines.flushSync();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
