/**
 * A client that tells what a refused connection looked like from outside: whether TCP connected,
 * how many bytes the server sent (a TLS ServerHello, an HTTP status line, or none), and how it
 * ended (reset or close). It runs as its own `node -e` process so the network-namespace tests can
 * start it inside a namespace (`ip netns exec NS node -e ...`) exactly as the loopback tests do.
 */
import { spawn } from 'node:child_process';

export interface ProbeSpec {
  readonly kind: 'tls' | 'http';
  readonly host: string;
  readonly port: number;
  /** Source address to connect from (e.g. 127.0.0.2 on loopback). */
  readonly localAddress?: string;
}

export interface ProbeResult {
  /** The client saw its connect complete (a reset right after accept may arrive first). */
  readonly connected: boolean;
  /** Bytes received from the server in all. */
  readonly received: number;
  /** First byte received (0x16 starts a TLS handshake record, 'H' an HTTP reply), or null. */
  readonly firstByte: number | null;
  /** The TLS handshake finished. */
  readonly secure: boolean;
  /** The HTTP status line, when one came. */
  readonly statusLine: string | null;
  /** ECONNRESET, EPIPE..., or null for a clean close. */
  readonly error: string | null;
  readonly timedOut: boolean;
}

/** Plain CommonJS for `node -e`; the spec is the first argument. */
export const PROBE_SOURCE = String.raw`
const net = require('node:net');
const tls = require('node:tls');
const { Duplex } = require('node:stream');
const spec = JSON.parse(process.argv[1]);
const result = { connected: false, received: 0, firstByte: null, secure: false, statusLine: null, error: null, timedOut: false };
let text = '';
let printed = false;
const finish = () => { if (!printed) { printed = true; process.stdout.write(JSON.stringify(result)); process.exit(0); } };
const raw = net.connect({ host: spec.host, port: spec.port, ...(spec.localAddress ? { localAddress: spec.localAddress } : {}) });
const timer = setTimeout(() => { result.timedOut = true; finish(); }, 8000);
raw.on('connect', () => { result.connected = true; });
raw.on('error', (e) => { if (result.error === null) result.error = e.code || e.message; });
raw.on('close', () => { clearTimeout(timer); setTimeout(finish, 50); });
if (spec.kind === 'http') {
  raw.on('connect', () => raw.write('POST /wsman HTTP/1.1\r\nHost: probe\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  raw.on('data', (d) => {
    if (result.received === 0) result.firstByte = d[0];
    result.received += d.length;
    text += d.toString('latin1');
    const end = text.indexOf('\r\n');
    if (end >= 0 && result.statusLine === null) result.statusLine = text.slice(0, end);
  });
} else {
  // TLS over a counting stream, so the bytes the server sent (a ServerHello or none) are seen.
  const wire = new Duplex({
    read() {},
    write(chunk, _encoding, callback) { raw.write(chunk, () => callback()); },
    final(callback) { raw.end(); callback(); },
  });
  raw.on('data', (d) => { if (result.received === 0) result.firstByte = d[0]; result.received += d.length; wire.push(d); });
  raw.on('end', () => wire.push(null));
  raw.on('close', () => wire.destroy());
  const secure = tls.connect({ socket: wire, rejectUnauthorized: false });
  secure.on('secureConnect', () => { result.secure = true; secure.end(); raw.end(); });
  secure.on('error', () => undefined);
}
`;

function parseResult(text: string): ProbeResult {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error(`probe printed ${text}`);
  // The probe writes exactly this shape; the fields the tests read are checked by their assertions.
  return value as ProbeResult;
}

/** Runs the probe with `prefix` before `node` (e.g. ['ip', 'netns', 'exec', NS]). */
export function runProbe(spec: ProbeSpec, prefix: readonly string[] = []): Promise<ProbeResult> {
  const command = prefix[0] ?? process.execPath;
  const args = prefix.length === 0 ? [] : [...prefix.slice(1), process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, '-e', PROBE_SOURCE, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`probe exited ${String(code)}: ${err}`));
        return;
      }
      try {
        resolve(parseResult(out));
      } catch (error) {
        reject(new Error(`unreadable probe output ${out} ${err} (${String(error)})`));
      }
    });
  });
}
