/**
 * The load generator's measurements, one function per LoadSpec kind. Each sets up outside the
 * timed part (connection, authentication, shell) unless setting up is what it measures, and checks
 * every result, so that a figure never comes from a run of faults.
 */
import http from 'node:http';
import { createInterface } from 'node:readline';
import { buildIdentify } from '../../test/support/wsman-xml.js';
import { SOAP_CONTENT_TYPE } from '../support/encrypted-messages.js';
import { AES256_SHA1, ApReqBatch, acceptApReq, kerberosService, newKerberosAcceptor, replayCache } from '../support/kerberos-fixtures.js';
import { recordHandshake } from '../support/ntlm-fixtures.js';
import type { SoapTransport } from '../support/soap-transports.js';
import { createShell, deleteShell, drainOutput, runCommand, streamInput, terminate, type DriverOptions } from '../support/winrs-driver.js';
import type { Endpoint, LoadResult, LoadSpec } from './loadgen-spec.js';
import { elapsedMs } from './stats.js';
import { connect } from './winrm-connect.js';

/** Command, Receive until Done, Signal: what `winrs` does for one command in an open shell. */
async function runToDone(transport: SoapTransport, shellId: string, commandLine: string, driver: DriverOptions = {}): Promise<number> {
  const commandId = await runCommand(transport, shellId, commandLine, driver);
  const result = await drainOutput(transport, shellId, commandId, driver);
  await terminate(transport, shellId, commandId, driver);
  if (result.exitCode !== 0) throw new Error(`${commandLine} exited with ${result.exitCode}`);
  return result.stdoutBytes;
}

/** pywinrm's run_cmd: a shell of its own for one command (WINRS_NOPROFILE as `driver` says). */
async function runCmd(transport: SoapTransport, driver: DriverOptions): Promise<void> {
  const shellId = await createShell(transport, driver);
  await runToDone(transport, shellId, 'true', driver);
  await deleteShell(transport, shellId, driver);
}

async function timed(samples: number, warmup: number, operation: () => Promise<void>): Promise<LoadResult> {
  for (let i = 0; i < warmup; i++) await operation();
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await operation();
    ms.push(elapsedMs(start));
  }
  return { kind: 'samples', ms };
}

async function withShell<T>(endpoint: Endpoint, driver: DriverOptions, use: (transport: SoapTransport, shellId: string) => Promise<T>): Promise<T> {
  const transport = await connect(endpoint);
  try {
    const shellId = await createShell(transport, driver);
    let result: T;
    try {
      result = await use(transport, shellId);
    } catch (error) {
      // The first failure is the one to report: after it a sealed connection may be out of step
      // (a next message already sealed), and the Delete that follows would fail for that alone.
      await deleteShell(transport, shellId, driver).catch(() => undefined);
      throw error;
    }
    await deleteShell(transport, shellId, driver);
    return result;
  } finally {
    transport.close();
  }
}

async function stdout(endpoint: Endpoint, bytes: number, maxEnvelopeSize: number): Promise<LoadResult> {
  const driver = { maxEnvelopeSize };
  return withShell(endpoint, driver, async (transport, shellId) => {
    await runToDone(transport, shellId, 'true', driver);
    await mark('start');
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const received = await runToDone(transport, shellId, `head -c ${bytes} /dev/zero`, driver);
    const ms = elapsedMs(start);
    const cpuMicros = cpuMicrosSince(cpuStart);
    await mark('end');
    if (received !== bytes) throw new Error(`stdout: expected ${bytes} bytes, received ${received}`);
    return { kind: 'transfer', ms, bytes, cpuMicros };
  });
}

let stdinLines: AsyncIterator<string> | undefined;

/** Says where a transfer's timed part starts or ends, and waits for the orchestrator's go-ahead. */
async function mark(at: 'start' | 'end'): Promise<void> {
  print({ kind: 'transfer-mark', at });
  stdinLines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const line = await stdinLines.next();
  if (line.done === true) throw new Error('the orchestrator went away during a transfer');
}

function cpuMicrosSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * The largest stdin chunk whose Send stays within MaxEnvelopeSize: base64 makes 4 bytes of 3, and
 * 4 KiB is left for the envelope around it (the server applies its own limit to the whole message).
 */
function stdinChunkBytes(maxEnvelopeSize: number): number {
  return Math.floor((maxEnvelopeSize - 4096) / 4) * 3;
}

async function stdin(endpoint: Endpoint, bytes: number, maxEnvelopeSize: number): Promise<LoadResult> {
  const driver = { maxEnvelopeSize };
  const chunk = Buffer.alloc(stdinChunkBytes(maxEnvelopeSize));
  return withShell(endpoint, driver, async (transport, shellId) => {
    await runToDone(transport, shellId, 'true', driver);
    await mark('start');
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const commandId = await runCommand(transport, shellId, 'cat > /dev/null', driver, false);
    const pieces: Buffer[] = [];
    for (let sent = 0; sent < bytes; sent += chunk.length) pieces.push(bytes - sent <= chunk.length ? chunk.subarray(0, bytes - sent) : chunk);
    await streamInput(transport, shellId, commandId, pieces, driver);
    const result = await drainOutput(transport, shellId, commandId, driver);
    await terminate(transport, shellId, commandId, driver);
    const ms = elapsedMs(start);
    const cpuMicros = cpuMicrosSince(cpuStart);
    await mark('end');
    if (result.exitCode !== 0) throw new Error(`cat exited with ${result.exitCode}`);
    return { kind: 'transfer', ms, bytes, cpuMicros };
  });
}

function identifyOnce(agent: http.Agent, port: number, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        method: 'POST',
        host: '127.0.0.1',
        port,
        path: '/wsman',
        agent,
        headers: { 'Content-Type': SOAP_CONTENT_TYPE, 'Content-Length': body.length, WSMANIDENTIFY: 'unauthenticated' },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) resolve();
          else reject(new Error(`Identify: HTTP ${String(res.statusCode)}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function identify(port: number, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const body = Buffer.from(buildIdentify(), 'utf8');
  try {
    // Warm up every connection (and the server's JIT) before the clock starts.
    const warmupRequests = connections * 20;
    await Promise.all(Array.from({ length: warmupRequests }, () => identifyOnce(agent, port, body)));
    let requests = 0;
    const start = process.hrtime.bigint();
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < deadline) {
          await identifyOnce(agent, port, body);
          requests += 1;
        }
      }),
    );
    return { kind: 'identify', requests, ms: elapsedMs(start), warmupRequests };
  } finally {
    agent.destroy();
  }
}

function print(result: LoadResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function shells(spec: Extract<LoadSpec, { kind: 'shells' }>): Promise<void> {
  const transports = await Promise.all(spec.users.map((user) => connect({ port: spec.port, auth: 'ntlm-http', ...user })));
  const opened: { transport: SoapTransport; shellId: string }[] = [];
  try {
    print({ kind: 'shells-starting' });
    const start = process.hrtime.bigint();
    await Promise.all(
      transports.map(async (transport) => {
        for (let i = 0; i < spec.perUser; i++) {
          const shellId = await createShell(transport);
          opened.push({ transport, shellId });
          await runCommand(transport, shellId, spec.command);
        }
      }),
    );
    print({ kind: 'shells-up', ms: elapsedMs(start), shells: opened.length });
    // Held open until the orchestrator has measured memory and closes our stdin.
    await new Promise((resolve) => {
      process.stdin.on('end', resolve);
      process.stdin.resume();
    });
  } finally {
    // Deleting a shell ends its command; one connection per user works through its own shells.
    await Promise.all(
      transports.map(async (transport) => {
        for (const shell of opened.filter((entry) => entry.transport === transport)) await deleteShell(transport, shell.shellId);
      }),
    );
    for (const transport of transports) transport.close();
  }
}

/** Server-side CPU of the two handshakes, on in-memory accounts and keys, as bench/*.bench.ts set them up. */
async function handshakeCpu(iterations: number): Promise<LoadResult> {
  const recorded = await recordHandshake();
  const warmup = Math.max(5, Math.floor(iterations / 10));
  for (let i = 0; i < warmup; i++) await recorded.replay();
  let before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await recorded.replay();
  let used = process.cpuUsage(before);
  const ntlmMicros = (used.user + used.system) / iterations;

  const service = kerberosService(AES256_SHA1);
  const cache = replayCache();
  const batch = new ApReqBatch(service, iterations + warmup);
  for (let i = 0; i < warmup; i++) await acceptApReq(newKerberosAcceptor(service, cache), batch.take());
  before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await acceptApReq(newKerberosAcceptor(service, cache), batch.take());
  used = process.cpuUsage(before);
  return { kind: 'handshake-cpu', ntlmMicros, kerberosMicros: (used.user + used.system) / iterations };
}

export async function runScenario(spec: LoadSpec): Promise<void> {
  switch (spec.kind) {
    case 'shell-command': {
      const driver = { loginProfile: spec.loginProfile };
      await withShell(spec.endpoint, driver, async (transport, shellId) => {
        print(await timed(spec.samples, spec.warmup, () => runToDone(transport, shellId, 'true', driver).then(() => undefined)));
      });
      return;
    }
    case 'run-cmd': {
      const transport = await connect(spec.endpoint);
      try {
        print(await timed(spec.samples, spec.warmup, () => runCmd(transport, { loginProfile: spec.loginProfile })));
      } finally {
        transport.close();
      }
      return;
    }
    case 'new-connection':
      print(
        await timed(spec.samples, spec.warmup, async () => {
          const transport = await connect(spec.endpoint);
          try {
            await runCmd(transport, { loginProfile: spec.loginProfile });
          } finally {
            transport.close();
          }
        }),
      );
      return;
    case 'stdout':
      print(await stdout(spec.endpoint, spec.bytes, spec.maxEnvelopeSize));
      return;
    case 'stdin':
      print(await stdin(spec.endpoint, spec.bytes, spec.maxEnvelopeSize));
      return;
    case 'identify':
      print(await identify(spec.port, spec.connections, spec.seconds));
      return;
    case 'shells':
      await shells(spec);
      return;
    case 'handshake-cpu':
      print(await handshakeCpu(spec.iterations));
      return;
  }
}
