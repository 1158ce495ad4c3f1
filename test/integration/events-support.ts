/** Helpers of the events integration tests: a free port, scraping, and reading the events file as it fills. */
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readEvents } from '../../events/reader.js';
import type { EventRecord } from '../../events/record.js';
import type { RunningServer } from '../support/server-process.js';

/** A port nobody listens on right now (for settings that cannot take 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve(body);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A sample's value from the Prometheus text, by its name and labels as printed. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

export function events(server: RunningServer, maxFiles = 5): EventRecord[] {
  return readEvents(join(server.stateDir, 'events.jsonl'), maxFiles);
}

/** Waits until the events satisfy `done` (the server writes some after the client has its reply). */
export async function eventsWhen(server: RunningServer, done: (records: EventRecord[]) => boolean, timeoutMs = 5000): Promise<EventRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = events(server);
    if (done(records)) return records;
    if (Date.now() > deadline) throw new Error(`events not as expected:\n${records.map((r) => `${r.EventID} ${r.Message}`).join('\n')}`);
    await sleep(50);
  }
}
