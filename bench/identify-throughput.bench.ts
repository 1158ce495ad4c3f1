/**
 * Identify end to end: the real endpoint against a bare Fastify that answers the same bytes, both
 * in this process, driven by a keep-alive load generator in another process (support/load-process)
 * over several connections. Identify is sent as `Test-WSMan` sends it, `WSMANIDENTIFY:
 * unauthenticated`, so the figure is the HTTP + WS-Management cost, not a password check.
 * One operation is REQUESTS requests; the summary's ops/s times REQUESTS is requests per second.
 * The server's CPU time per request is printed after the run.
 */
import http from 'node:http';
import { fastify, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { identify } from '../test/unit/server/envelopes.js';
import { benchWith } from './support/bench-with.js';
import { startBenchServer, type BenchServer } from './support/bench-server.js';
import { startLoadProcess, type LoadProcess } from './support/load-process.js';

const REQUESTS = 2000;
const CONNECTIONS = 8;
const IDENTIFY_HEADERS = { 'Content-Type': 'application/soap+xml;charset=UTF-8', WSMANIDENTIFY: 'unauthenticated' };
const body = identify().xml;

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

let server: BenchServer | undefined;
let bare: FastifyInstance | undefined;
let barePort = 0;
let load: LoadProcess | undefined;
let reply: Reply | undefined;
const cpuMicros = new Map<string, { user: number; system: number; requests: number }>();

beforeAll(async () => {
  server = await startBenchServer('bench', 'bench-password-1');
  reply = await postOnce(server.httpPort);
  if (reply.status !== 200) throw new Error(`Identify answered ${reply.status}`);
  bare = bareFastify(reply);
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const address = bare.server.address();
  if (address === null || typeof address === 'string') throw new Error('bare Fastify has no port');
  barePort = address.port;
  load = startLoadProcess();
});

afterAll(async () => {
  load?.close();
  await bare?.close();
  await server?.close();
  for (const [name, { user, system, requests }] of cpuMicros) {
    const perRequest = (micros: number): string => (micros / requests).toFixed(1);
    console.log(`server CPU per request, ${name}: ${perRequest(user + system)} µs (user ${perRequest(user)}, system ${perRequest(system)})`);
  }
});

/** The same status, headers that matter and bytes as the endpoint's Identify reply, and nothing else. */
function bareFastify(answer: Reply): FastifyInstance {
  const app = fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, payload, done) => {
    done(null, payload);
  });
  app.post('/wsman', (_request, res) => res.code(answer.status).header('Content-Type', answer.contentType).header('Server', 'Microsoft-HTTPAPI/2.0').send(answer.body));
  return app;
}

function postOnce(port: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ method: 'POST', host: '127.0.0.1', port, path: '/wsman', headers: IDENTIFY_HEADERS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function drive(name: string, port: () => number): Promise<void> {
  if (load === undefined || reply === undefined) throw new Error('the servers did not start');
  const before = process.cpuUsage();
  await load.run({
    port: port(),
    requests: REQUESTS,
    connections: CONNECTIONS,
    headers: IDENTIFY_HEADERS,
    body,
    expectStatus: 200,
    expectBodyBytes: reply.body.length,
  });
  const used = process.cpuUsage(before);
  const total = cpuMicros.get(name) ?? { user: 0, system: 0, requests: 0 };
  cpuMicros.set(name, { user: total.user + used.user, system: total.system + used.system, requests: total.requests + REQUESTS });
}

const options = { time: 4000, warmupTime: 1000, warmupIterations: 2 };

describe(`Identify, ${CONNECTIONS} keep-alive connections, ${REQUESTS} requests per op`, () => {
  const bareName = 'bare Fastify answering the same bytes';
  benchWith(bareName, () => drive(bareName, () => barePort), options, { baseline: true });
  const winrmdName = 'winrmd: auth gate, parse, dispatch, Identify reply';
  benchWith(winrmdName, () => drive(winrmdName, () => server?.httpPort ?? 0), options, { baseline: false });
});
