/**
 * The floor under winrmd's stdout figure: how fast Node.js itself moves Receive-sized replies with
 * one request in flight, as a WinRM client's Receives go. A bare node:https (or node:http) server
 * answers each POST with a 512 KB reply that is 384,000 bytes of base64, encoded per request into
 * the reply's buffer in 12 KB pieces as winrmd does (protocol/xml/reply-text.ts); a keep-alive
 * client in another process finds the base64 in the reply's bytes and counts what it decodes to,
 * as the benchmark's load generator does. No WS-Management, no shell host, no command.
 *
 *   npm run build:bench && node dist-bench/bench/compare/http-floor.js [exchanges]
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';
import { ReplyText } from '../../protocol/xml/reply-text.js';
import { base64DecodedLength } from '../support/winrs-driver.js';

const PAYLOAD_BYTES = 384_000;
const WARMUP = 20;

type Transport = 'http' | 'https';

/** The client side, in its own process: `exchanges` POSTs one after another; prints MiB/s of payload. */
async function client(transport: Transport, port: number, exchanges: number): Promise<void> {
  const agent = transport === 'https' ? new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = transport === 'https' ? https.request : http.request;
  const body = Buffer.alloc(3000, 'x');
  const exchange = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', agent, headers: { 'Content-Length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const reply = Buffer.concat(chunks);
          const start = reply.indexOf('<b>') + 3;
          const end = reply.indexOf('</b>', start);
          const decoded = base64DecodedLength(reply, start, end);
          if (decoded !== PAYLOAD_BYTES) reject(new Error(`reply carried ${decoded} bytes`));
          else resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < WARMUP; i++) await exchange();
  const start = process.hrtime.bigint();
  for (let i = 0; i < exchanges; i++) await exchange();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    `${transport}: ${((seconds * 1000) / exchanges).toFixed(2)} ms an exchange, ${((exchanges * PAYLOAD_BYTES) / 1048576 / seconds).toFixed(0)} MiB/s of payload\n`,
  );
  agent.destroy();
}

async function server(transport: Transport, exchanges: number): Promise<void> {
  const payload = Buffer.alloc(PAYLOAD_BYTES, 7);
  const head = `<a>${'h'.repeat(1500)}<b>`;
  const tail = '</b></a>';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/soap+xml;charset=UTF-8');
      res.end(ReplyText.join([head, ReplyText.base64(payload), tail]).toUtf8());
    });
  };
  let listener: http.Server;
  if (transport === 'https') {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });
    listener = https.createServer({ key: pems.private, cert: pems.cert }, handler);
  } else {
    listener = http.createServer(handler);
  }
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  const child = fork(fileURLToPath(import.meta.url), ['client', transport, String(port), String(exchanges)], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  listener.close();
  if (code !== 0) throw new Error(`the client exited with ${String(code)}`);
}

const [first, ...rest] = process.argv.slice(2);
if (first === 'client') {
  const [transport, port, exchanges] = rest;
  await client(transport === 'https' ? 'https' : 'http', Number(port), Number(exchanges));
} else {
  const exchanges = Number(first ?? 300);
  for (const transport of ['https', 'http'] as const) await server(transport, exchanges);
}
