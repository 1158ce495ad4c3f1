/**
 * Runs the Kerberos-side Python helpers of test/interop (gssapi_winrm_client.py,
 * pywinrm_kerberos_client.py, gssapi_acceptor.py) with /usr/bin/python3 and reads the one JSON object
 * each prints, on top of client-env.ts. Unlike client-env's runPythonJson these take extra environment
 * (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME) and never inherit the caller's Kerberos variables.
 *
 * The WinRM clients share pywinrm_client.py's output shape:
 *   {"ok", "results": [{"status_code", "stdout_b64"?, "stderr_b64", "stdout_sha256", "stdout_len", "body"?}],
 *    "error": null | {"class", "message", "http_status"}, ...extra fields per client}
 */
import { fileURLToPath } from 'node:url';
import { asRecord, asString, clientEnv, PYTHON, pythonEnv, runProcess } from './client-env.js';

export { asRecord } from './client-env.js';

export function interopScript(name: string): string {
  return fileURLToPath(new URL(`../interop/${name}`, import.meta.url));
}

/** Kerberos variables of the test process that must not steer a client to another realm or cache. */
const KERBEROS_VARIABLES = ['KRB5_CONFIG', 'KRB5_KDC_PROFILE', 'KRB5CCNAME', 'KRB5_KTNAME', 'KRB5_CLIENT_KTNAME', 'KRB5_TRACE', 'KRB5RCACHEDIR'];

function withoutKerberos(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of KERBEROS_VARIABLES) Reflect.deleteProperty(copy, name);
  return copy;
}

/** For /usr/bin/python3: client-env's pythonEnv() without inherited Kerberos settings, plus `extra`. */
export function krbPythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...withoutKerberos(pythonEnv()), ...extra };
}

/** For other clients (curl): client-env's clientEnv() without inherited Kerberos settings, plus `extra`. */
export function krbClientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...withoutKerberos(clientEnv()), ...extra };
}

export interface TextResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** runProcess with text output. */
export async function runText(command: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<TextResult> {
  const result = await runProcess(command, args, { env, input });
  return { code: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr };
}

/** Runs `script` (a file of test/interop) with the spec as JSON on stdin; resolves to its JSON output. */
export async function runPythonJson(
  script: string,
  spec: unknown,
  env: Record<string, string>,
  args: string[] = [],
): Promise<Record<string, unknown>> {
  const input = typeof spec === 'string' ? spec : JSON.stringify(spec);
  const result = await runText(PYTHON, [interopScript(script), ...args], krbPythonEnv(env), input);
  if (result.code !== 0) throw new Error(`${script} exited ${String(result.code)}: ${result.stderr}${result.stdout.slice(0, 2000)}`);
  try {
    return asRecord(JSON.parse(result.stdout), `${script} output`);
  } catch (e) {
    throw new Error(`unreadable ${script} output (${String(e)}): ${result.stdout.slice(0, 500)} ${result.stderr}`);
  }
}

export interface StepResult {
  statusCode: number;
  stdout: Buffer | undefined;
  stderr: Buffer;
  stdoutSha256: string;
  stdoutLen: number;
  /** For identify steps: the response body. */
  body: string | undefined;
}

export interface ClientError {
  class: string;
  message: string;
  httpStatus: number | null;
}

export interface ClientOutput {
  ok: boolean;
  results: StepResult[];
  error: ClientError | null;
  /** The whole JSON object, for client-specific fields. */
  raw: Record<string, unknown>;
}

export function parseClientOutput(top: Record<string, unknown>): ClientOutput {
  const results = top['results'];
  if (!Array.isArray(results)) throw new Error('results is not an array');
  const errorValue = top['error'];
  let error: ClientError | null = null;
  if (errorValue !== null && errorValue !== undefined) {
    const e = asRecord(errorValue, 'error');
    const status = e['http_status'];
    error = {
      class: asString(e['class'], 'error.class'),
      message: asString(e['message'], 'error.message'),
      httpStatus: typeof status === 'number' ? status : null,
    };
  }
  return {
    ok: top['ok'] === true,
    error,
    raw: top,
    results: results.map((value: unknown, i) => {
      const r = asRecord(value, `results[${i}]`);
      const statusCode = r['status_code'];
      const stdoutLen = r['stdout_len'];
      if (typeof statusCode !== 'number' || typeof stdoutLen !== 'number') throw new Error(`results[${i}] lacks numbers`);
      const stdoutB64 = r['stdout_b64'];
      const body = r['body'];
      return {
        statusCode,
        stdout: typeof stdoutB64 === 'string' ? Buffer.from(stdoutB64, 'base64') : undefined,
        stderr: Buffer.from(asString(r['stderr_b64'], 'stderr_b64'), 'base64'),
        stdoutSha256: asString(r['stdout_sha256'], 'stdout_sha256'),
        stdoutLen,
        body: typeof body === 'string' ? body : undefined,
      };
    }),
  };
}
