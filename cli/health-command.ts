/**
 * `winrmd health`: a container health check. For each enabled listener (the configured address and
 * ports; `*` is probed on 127.0.0.1), an anonymous Identify (`WSMANIDENTIFY: unauthenticated`, as
 * Test-WSMan sends it) must get an IdentifyResponse: that proves the TCP listener, TLS, the HTTP
 * stack, the authentication gate and the WS-Management dispatch are all up. Unlike a request
 * refused with 401, it counts as no failed authentication in the metrics and is logged only at
 * debug. Prints one line and exits 0 when every listener answered so, else 1.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { loadConfig } from '../config/load.js';
import { NS } from '../protocol/wsman/namespaces.js';
import { COMMON_OPTIONS, sourcesFromOptions } from './common-options.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { parseArgv, UsageError } from './usage-error.js';

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_REPLY_CHARS = 64 * 1024;

export interface ProbeTarget {
  readonly transport: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

/** The listener's address as a client reaches it: a wildcard means this host's loopback. */
function probeHost(address: string): string {
  if (address === '*' || address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '::1';
  return address;
}

const IDENTIFY = Buffer.from(
  `<s:Envelope xmlns:s="${NS.soap}" xmlns:wsmid="${NS.identity}"><s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>`,
  'utf8',
);

/** Resolves to undefined when the listener answered the Identify, else to why not. */
export function probe(target: ProbeTarget, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const options = {
      host: target.host,
      port: target.port,
      method: 'POST',
      path: '/wsman',
      headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8', 'Content-Length': String(IDENTIFY.length), WSMANIDENTIFY: 'unauthenticated' },
      timeout: timeoutMs,
      agent: false,
      // A health check proves the service answers; the certificate is usually self-signed.
      rejectUnauthorized: false,
    } as const;
    const request = (target.transport === 'https' ? httpsRequest : httpRequest)(options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        // An IdentifyResponse is a few hundred bytes; more is not one.
        if (body.length < MAX_REPLY_CHARS) body += chunk;
      });
      response.on('end', () => {
        if (response.statusCode !== 200) resolve(`answered ${String(response.statusCode)}, not 200`);
        else resolve(/<(?:[\w.-]+:)?IdentifyResponse\b/.test(body) ? undefined : 'answered 200 without an IdentifyResponse');
      });
    });
    request.on('timeout', () => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    request.on('error', (error) => {
      resolve(error.message);
    });
    request.end(IDENTIFY);
  });
}

export async function runHealthCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv({
    args: [...argv],
    options: { ...COMMON_OPTIONS, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'; usage: winrmd health [--timeout MS]`);
  if (values.timeout !== undefined && !/^\d{1,7}$/.test(values.timeout)) throw new UsageError(`--timeout must be milliseconds, not '${values.timeout}'`);
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  const config = await loadConfig(sourcesFromOptions(values));
  const host = probeHost(config['Listener.Address']);
  const targets: ProbeTarget[] = [
    ...(config['Listener.HTTP.Enabled'] ? [{ transport: 'http', host, port: config['Service.DefaultPorts.HTTP'] } as const] : []),
    ...(config['Listener.HTTPS.Enabled'] ? [{ transport: 'https', host, port: config['Service.DefaultPorts.HTTPS'] } as const] : []),
  ];
  if (targets.length === 0) {
    io.stderr.write('unhealthy: no listener is enabled\n');
    return 1;
  }
  const results = await Promise.all(
    targets.map(async (target) => {
      const where = `${target.transport} ${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
      // Port 0 means "any free port" at start: there is no telling which one serve got.
      const problem = target.port === 0 ? 'port 0 is chosen at start; set the port to check it' : await probe(target, timeoutMs);
      return { where, problem };
    }),
  );
  const failed = results.filter((r) => r.problem !== undefined);
  if (failed.length > 0) {
    io.stderr.write(`unhealthy: ${failed.map((r) => `${r.where}: ${r.problem ?? ''}`).join('; ')}\n`);
    return 1;
  }
  io.stdout.write(`healthy: ${results.map((r) => `${r.where} answered Identify`).join(', ')}\n`);
  return 0;
}
