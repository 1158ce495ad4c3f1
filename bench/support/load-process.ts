/**
 * A keep-alive HTTP load generator in its own process, so that the server under test has this
 * process's event loop and core to itself and the client's work is not counted as the server's.
 * The child is plain JavaScript passed to `node -e` (there is no TypeScript loader outside vitest);
 * it keeps one agent per port, so that connections stay open from one run to the next.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LoadRun {
  readonly port: number;
  /** Requests in this run, spread over the connections. */
  readonly requests: number;
  /** Concurrent keep-alive connections, each sending its next request when the last reply is in. */
  readonly connections: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Every reply must have this status and body length, so that a run of errors is not timed as a success. */
  readonly expectStatus: number;
  readonly expectBodyBytes: number;
}

export interface LoadProcess {
  run(load: LoadRun): Promise<void>;
  close(): void;
}

const CHILD_SOURCE = String.raw`
import http from 'node:http';
import { createInterface } from 'node:readline';
const agents = new Map();
function agentFor(port, connections) {
  let agent = agents.get(port);
  if (agent === undefined) {
    agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    agents.set(port, agent);
  }
  return agent;
}
function post(load, agent, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ method: 'POST', host: '127.0.0.1', port: load.port, path: '/wsman', agent,
      headers: { ...load.headers, 'Content-Length': body.length } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== load.expectStatus || bytes !== load.expectBodyBytes) {
          reject(new Error('status ' + res.statusCode + ', ' + bytes + ' body bytes'));
        } else resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function run(load) {
  const agent = agentFor(load.port, load.connections);
  const body = Buffer.from(load.body);
  let left = load.requests;
  const worker = async () => { while (left > 0) { left--; await post(load, agent, body); } };
  await Promise.all(Array.from({ length: load.connections }, worker));
}
for await (const line of createInterface({ input: process.stdin })) {
  try {
    await run(JSON.parse(line));
    process.stdout.write('ok\n');
  } catch (error) {
    process.stdout.write('error ' + String(error && error.message) + '\n');
  }
}
`;

export function startLoadProcess(): LoadProcess {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SOURCE], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.pipe(process.stderr);
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  return {
    run(load) {
      return new Promise((resolve, reject) => {
        waiting.push((line) => {
          if (line === 'ok') resolve();
          else reject(new Error(`load process: ${line}`));
        });
        child.stdin.write(`${JSON.stringify(load)}\n`);
      });
    },
    close() {
      child.kill();
    },
  };
}
