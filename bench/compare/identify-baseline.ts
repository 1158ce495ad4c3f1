/**
 * The Identify row's two servers answer with the same bytes: winrmd's reply to an unauthenticated
 * Identify is fetched once, then bare-fastify.js is started to send exactly that.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { waitForExit } from '../../test/support/child-exit.js';
import { buildIdentify } from '../../test/support/wsman-xml.js';
import { SOAP_CONTENT_TYPE } from '../support/encrypted-messages.js';

const BARE_FASTIFY = fileURLToPath(new URL('./bare-fastify.js', import.meta.url));

export interface BareFastify {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

function fetchIdentify(port: number): Promise<{ contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(buildIdentify(), 'utf8');
    const req = http.request(
      { method: 'POST', host: '127.0.0.1', port, path: '/wsman', headers: { 'Content-Type': SOAP_CONTENT_TYPE, 'Content-Length': body.length, WSMANIDENTIFY: 'unauthenticated' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`Identify: HTTP ${String(res.statusCode)}`));
          else resolve({ contentType: res.headers['content-type'] ?? SOAP_CONTENT_TYPE, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function startBareFastify(winrmdHttpPort: number): Promise<BareFastify> {
  const reply = await fetchIdentify(winrmdHttpPort);
  const child = spawn(process.execPath, [BARE_FASTIFY, reply.contentType, reply.body.toString('base64')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) child.kill('SIGKILL');
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let pending = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        pending += chunk;
        const match = /\{"port":(\d+)\}/.exec(pending);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        reject(new Error(`bare Fastify exited at start (${String(code)})`));
      });
    });
    if (child.pid === undefined) throw new Error('bare Fastify has no PID');
    return { pid: child.pid, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
