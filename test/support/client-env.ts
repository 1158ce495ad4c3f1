/**
 * How the interop tests start third-party clients: Debian's /usr/bin/python3 (where python3-winrm and
 * python3-ntlm-auth live) and curl, each with an environment that cannot steer them elsewhere.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './server-process.js';

/** Debian's interpreter: the packaged pywinrm / ntlm-auth are installed for it, not for a venv's. */
export const PYTHON = '/usr/bin/python3';

/** Turns on OpenSSL 3's legacy provider (MD4, RC4) for the Python NTLM clients only. */
export const OPENSSL_LEGACY_CONF = join(REPO_ROOT, 'test', 'interop', 'openssl-legacy.cnf');

/**
 * Variables that would change where or how a client connects: the CA bundles override pywinrm's
 * server_cert_validation='ignore' (requests reads them), and a proxy would take 127.0.0.1 elsewhere.
 */
const STEERING_VARIABLES = ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];

/** The test process's environment without the steering variables, plus `extra`. */
export function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STEERING_VARIABLES) Reflect.deleteProperty(env, name);
  env['NO_PROXY'] = '127.0.0.1,localhost';
  env['no_proxy'] = '127.0.0.1,localhost';
  return { ...env, ...extra };
}

/** For every /usr/bin/python3 run: clientEnv() with OPENSSL_CONF set, so NTLM's MD4 works. */
export function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return clientEnv({ OPENSSL_CONF: OPENSSL_LEGACY_CONF, PYTHONDONTWRITEBYTECODE: '1', ...extra });
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Written to standard input, which is then closed. */
  input?: string;
  /** Killed (SIGKILL) after this long, so a hung client fails the test instead of stalling it. */
  timeoutMs?: number;
}

export function runProcess(command: string, args: readonly string[], opts: RunProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env: opts.env, stdio: 'pipe' });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs one of the test/interop Python scripts with a JSON spec on standard input and returns its
 * JSON output; any other exit than 0 is an error carrying the script's stderr.
 */
export async function runPythonJson(script: string, spec: unknown, timeoutMs?: number): Promise<unknown> {
  const result = await runProcess(PYTHON, [script], { env: pythonEnv(), input: JSON.stringify(spec), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const text = result.stdout.toString('utf8');
  if (result.code !== 0) {
    throw new Error(`${script} exited ${String(result.code ?? result.signal)}: ${result.stderr}${text.slice(0, 500)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`unreadable output of ${script} (${String(error)}): ${text.slice(0, 500)} ${result.stderr}`);
  }
}

// ---- reading the scripts' JSON without `any` ---------------------------------------------------

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not an array`);
  return value;
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

export function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new Error(`${what} is not a number`);
  return value;
}

export function asBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${what} is not a boolean`);
  return value;
}

/** `null` (or a missing field) becomes undefined; anything else goes through `read`. */
export function optional<T>(value: unknown, read: (v: unknown) => T): T | undefined {
  return value === null || value === undefined ? undefined : read(value);
}
