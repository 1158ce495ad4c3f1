/**
 * Interop with pywinrm 0.3.0 (Debian python3-winrm, run with /usr/bin/python3) over Basic auth.
 * The client script is test/interop/pywinrm_client.py; see its docstring for the spec format.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./pywinrm_client.py', import.meta.url));

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const ADMIN2: TestUser = { name: 'bob', password: 'B0b:with colon', groups: ['Administrators'] };
const NOBODY: TestUser = { name: 'carol', password: 'Carol-Pa55word!', groups: [] };

interface Step {
  op: 'run' | 'session_run_cmd';
  command: string;
  args?: string[];
  stdin_b64?: string;
  repeat?: number;
  digest_only?: boolean;
}

interface StepResult {
  statusCode: number;
  stdout: Buffer | undefined;
  stderr: Buffer;
  stdoutSha256: string;
  stdoutLen: number;
}

interface ClientOutput {
  ok: boolean;
  results: StepResult[];
  error: { class: string; message: string; httpStatus: number | null } | null;
}

function field(record: Record<string, unknown>, name: string): unknown {
  return record[name];
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

function parseOutput(text: string): ClientOutput {
  const top = asRecord(JSON.parse(text), 'output');
  const results = field(top, 'results');
  if (!Array.isArray(results)) throw new Error('results is not an array');
  const errorValue = field(top, 'error');
  let error: ClientOutput['error'] = null;
  if (errorValue !== null) {
    const e = asRecord(errorValue, 'error');
    const status = field(e, 'http_status');
    error = {
      class: asString(field(e, 'class'), 'error.class'),
      message: asString(field(e, 'message'), 'error.message'),
      httpStatus: typeof status === 'number' ? status : null,
    };
  }
  return {
    ok: field(top, 'ok') === true,
    error,
    results: results.map((value: unknown, i) => {
      const r = asRecord(value, `results[${i}]`);
      const statusCode = field(r, 'status_code');
      const stdoutLen = field(r, 'stdout_len');
      if (typeof statusCode !== 'number' || typeof stdoutLen !== 'number') throw new Error(`results[${i}] lacks numbers`);
      const stdoutB64 = field(r, 'stdout_b64');
      return {
        statusCode,
        stdout: typeof stdoutB64 === 'string' ? Buffer.from(stdoutB64, 'base64') : undefined,
        stderr: Buffer.from(asString(field(r, 'stderr_b64'), 'stderr_b64'), 'base64'),
        stdoutSha256: asString(field(r, 'stdout_sha256'), 'stdout_sha256'),
        stdoutLen,
      };
    }),
  };
}

/** The environment for pywinrm: the CA bundle variables override server_cert_validation='ignore'. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) {
    Reflect.deleteProperty(env, name);
  }
  env['NO_PROXY'] = '127.0.0.1,localhost';
  return env;
}

function runPywinrm(endpoint: string, user: TestUser, steps: Step[], password = user.password): Promise<ClientOutput> {
  const spec = JSON.stringify({ endpoint, user: user.name, password, transport: 'basic', steps });
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { env: pythonEnv(), stdio: 'pipe' });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      if (code !== 0) {
        reject(new Error(`pywinrm_client.py exited ${String(code)}: ${err}`));
        return;
      }
      try {
        resolve(parseOutput(text));
      } catch (e) {
        reject(new Error(`unreadable pywinrm_client.py output (${String(e)}): ${text.slice(0, 500)} ${err}`));
      }
    });
    child.stdin.end(spec);
  });
}

/** The single result of a successful one-step run, with a readable failure otherwise. */
function only(output: ClientOutput): StepResult {
  expect(output.error).toBeNull();
  expect(output.results).toHaveLength(1);
  const [result] = output.results;
  if (result === undefined) throw new Error('no result');
  return result;
}

function stdoutText(result: StepResult): string {
  return result.stdout?.toString('utf8') ?? '';
}

let server: RunningServer;
let httpsUrl: string;
let httpUrl: string;

beforeAll(async () => {
  server = await startServer({ users: [ADMIN, ADMIN2, NOBODY] });
  httpsUrl = `https://127.0.0.1:${server.httpsPort}/wsman`;
  httpUrl = `http://127.0.0.1:${server.httpPort}/wsman`;
  return () => server.stop();
});

describe('pywinrm over HTTPS with Basic', () => {
  it('runs echo hello through winrm.Session.run_cmd', async () => {
    const result = only(await runPywinrm(httpsUrl, ADMIN, [{ op: 'session_run_cmd', command: 'echo', args: ['hello'] }]));
    expect(stdoutText(result)).toBe('hello\n');
    expect(result.stderr.toString()).toBe('');
    expect(result.statusCode).toBe(0);
  });

  it('reports exit codes', async () => {
    const result = only(await runPywinrm(httpsUrl, ADMIN, [{ op: 'run', command: 'exit 3' }]));
    expect(result.statusCode).toBe(3);
  });

  it('keeps stderr apart from stdout', async () => {
    const result = only(await runPywinrm(httpsUrl, ADMIN, [{ op: 'run', command: 'echo out; echo err >&2' }]));
    expect(stdoutText(result)).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result.statusCode).toBe(0);
  });

  it('delivers 5 MB of stdout intact and in order', async () => {
    const count = 800_000;
    const expected = Array.from({ length: count }, (_, i) => `${i + 1}\n`).join('');
    const result = only(await runPywinrm(httpsUrl, ADMIN, [{ op: 'run', command: `seq 1 ${count}`, digest_only: true }]));
    expect(result.stdoutLen).toBe(Buffer.byteLength(expected));
    expect(result.stdoutSha256).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(result.statusCode).toBe(0);
  });

  it('passes stdin sent with Send to the command', async () => {
    const input = 'first line\nsecond line \u2713\n';
    const steps: Step[] = [{ op: 'run', command: 'cat', stdin_b64: Buffer.from(input).toString('base64') }];
    const result = only(await runPywinrm(httpsUrl, ADMIN, steps));
    expect(stdoutText(result)).toBe(input);
    expect(result.statusCode).toBe(0);
  });

  it('runs a hundred commands in a row in one shell', async () => {
    const steps: Step[] = Array.from({ length: 100 }, (_, i) => ({ op: 'run', command: `echo line-${i}` }));
    const output = await runPywinrm(httpsUrl, ADMIN, steps);
    expect(output.error).toBeNull();
    expect(output.results.map(stdoutText)).toEqual(steps.map((_, i) => `line-${i}\n`));
    expect(output.results.every((r) => r.statusCode === 0)).toBe(true);
  });

  it('serves two users at once, each seeing their own output', async () => {
    const stepsFor = (name: string): Step[] =>
      Array.from({ length: 8 }, (_, i) => ({ op: 'run', command: `sleep 0.2; echo ${name}-${i}` }));
    const [a, b] = await Promise.all([
      runPywinrm(httpsUrl, ADMIN, stepsFor('alice')),
      runPywinrm(httpsUrl, ADMIN2, stepsFor('bob')),
    ]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect(a.results.map(stdoutText)).toEqual(stepsFor('alice').map((_, i) => `alice-${i}\n`));
    expect(b.results.map(stdoutText)).toEqual(stepsFor('bob').map((_, i) => `bob-${i}\n`));
  });

  it('rejects a wrong password with 401', async () => {
    const output = await runPywinrm(httpsUrl, ADMIN, [{ op: 'run', command: 'echo no' }], 'wrong-password');
    expect(output.ok).toBe(false);
    expect(output.error?.class).toBe('InvalidCredentialsError');
    expect(output.error?.httpStatus).toBe(401);
    expect(output.results).toHaveLength(0);
  });

  it('rejects a user outside Administrators with 401', async () => {
    const output = await runPywinrm(httpsUrl, NOBODY, [{ op: 'run', command: 'echo no' }]);
    expect(output.ok).toBe(false);
    expect(output.error?.class).toBe('InvalidCredentialsError');
    expect(output.results).toHaveLength(0);
  });
});

describe('pywinrm over HTTP with Basic', () => {
  it('is refused with 401 by default (AllowUnencrypted=false)', async () => {
    const output = await runPywinrm(httpUrl, ADMIN, [{ op: 'run', command: 'echo no' }]);
    expect(output.ok).toBe(false);
    expect(output.error?.class).toBe('InvalidCredentialsError');
    expect(output.results).toHaveLength(0);
  });

  describe('with Service.AllowUnencrypted=true', () => {
    let plain: RunningServer;
    beforeAll(async () => {
      plain = await startServer({ users: [ADMIN], sets: ['Service.AllowUnencrypted=true'] });
      return () => plain.stop();
    });

    it('is accepted', async () => {
      const url = `http://127.0.0.1:${plain.httpPort}/wsman`;
      const result = only(await runPywinrm(url, ADMIN, [{ op: 'run', command: 'echo plain' }]));
      expect(stdoutText(result)).toBe('plain\n');
      expect(result.statusCode).toBe(0);
    });
  });
});
