/**
 * Interop with pywinrm 0.3.0's NTLM transport (requests-ntlm 1.1.0, ntlm-auth 1.4.0, run with
 * /usr/bin/python3 and the legacy OpenSSL provider for MD4): WinRM message encryption over HTTP
 * (notes §2, §2.4), channel binding over HTTPS (notes §1.8), and refusals, which are all 401.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyResult, runPywinrmSpec, stdoutText, type PywinrmOutput, type PywinrmSpec, type PywinrmStep } from '../support/pywinrm-runner.js';
import { waitForLog } from '../support/server-logs.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const NOBODY: TestUser = { name: 'carol', password: 'Carol-Pa55word!', groups: [] };

type Encryption = NonNullable<PywinrmSpec['message_encryption']>;

interface NtlmRun {
  url: string;
  user?: string;
  password?: string;
  encryption?: Encryption;
  sendCbt?: boolean;
  steps: PywinrmStep[];
}

function runNtlm(run: NtlmRun): Promise<PywinrmOutput> {
  return runPywinrmSpec({
    endpoint: run.url,
    user: run.user ?? ADMIN.name,
    password: run.password ?? ADMIN.password,
    transport: 'ntlm',
    message_encryption: run.encryption ?? 'auto',
    send_cbt: run.sendCbt ?? true,
    steps: run.steps,
  });
}

/** What pywinrm reports when the server answers 401 (it raises before any result). */
function expectRefused(output: PywinrmOutput): void {
  expect(output.ok).toBe(false);
  expect(output.error?.class).toBe('InvalidCredentialsError');
  expect(output.error?.httpStatus).toBe(401);
  expect(output.results).toHaveLength(0);
}

// One server for the file, with the strictest channel-binding policy: it only matters on HTTPS.
let server: RunningServer;
let httpUrl: string;
let httpsUrl: string;

beforeAll(async () => {
  server = await startServer({ users: [ADMIN, NOBODY], sets: ['Service.Auth.CbtHardeningLevel=Strict'] });
  httpUrl = `http://127.0.0.1:${server.httpPort}/wsman`;
  httpsUrl = `https://127.0.0.1:${server.httpsPort}/wsman`;
  return () => server.stop();
});

describe.each<Encryption>(['always', 'auto'])('pywinrm NTLM over HTTP, message_encryption=%s', (encryption) => {
  it('runs echo hello through winrm.Session.run_cmd', async () => {
    const result = onlyResult(await runNtlm({ url: httpUrl, encryption, steps: [{ op: 'session_run_cmd', command: 'echo', args: ['hello'] }] }));
    expect(stdoutText(result)).toBe('hello\n');
    expect(result.stderr.toString()).toBe('');
    expect(result.statusCode).toBe(0);
  });

  it('reports exit codes', async () => {
    const output = await runNtlm({ url: httpUrl, encryption, steps: [{ op: 'run', command: 'exit 3' }, { op: 'run', command: 'exit 0' }, { op: 'run', command: 'exit 255' }] });
    expect(output.error).toBeNull();
    expect(output.results.map((r) => r.statusCode)).toEqual([3, 0, 255]);
  });

  it('keeps stderr apart from stdout', async () => {
    const result = onlyResult(await runNtlm({ url: httpUrl, encryption, steps: [{ op: 'run', command: 'echo out; echo err >&2' }] }));
    expect(stdoutText(result)).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result.statusCode).toBe(0);
  });

  it('delivers 5 MB of stdout intact and in order through sealed Receive replies', async () => {
    const count = 800_000;
    const expected = Array.from({ length: count }, (_, i) => `${i + 1}\n`).join('');
    const result = onlyResult(await runNtlm({ url: httpUrl, encryption, steps: [{ op: 'run', command: `seq 1 ${count}`, digest_only: true }] }));
    expect(result.stdoutLen).toBe(Buffer.byteLength(expected));
    expect(result.stdoutSha256).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(result.statusCode).toBe(0);
  });

  it('keeps each large sealed Send its own input: two clients, two Sends each, at once', async () => {
    // 200 KB of input makes a Send body and its unsealed envelope large enough for the listener's
    // pooled memory (server/body-buffers.ts), used again from one request to the next.
    const inputs = [0, 1, 2, 3].map((seed) => Buffer.alloc(200_000, `client ${seed >> 1} send ${seed & 1} `));
    const runs = [0, 1].map(async (client) => {
      const mine = [inputs[2 * client], inputs[2 * client + 1]].filter((input) => input !== undefined);
      const steps: PywinrmStep[] = mine.map((input) => ({ op: 'run', command: 'sha256sum', stdin_b64: input.toString('base64'), console_mode_stdin: false }));
      return { mine, output: await runNtlm({ url: httpUrl, encryption, steps }) };
    });
    for (const { mine, output } of await Promise.all(runs)) {
      expect(output.results.map((result) => stdoutText(result).split(' ')[0])).toEqual(mine.map((input) => createHash('sha256').update(input).digest('hex')));
    }
  }, 60_000);

  it('passes stdin sent with a sealed Send to the command', async () => {
    const input = 'first line\nsecond line \u2713\n';
    const steps: PywinrmStep[] = [{ op: 'run', command: 'cat', stdin_b64: Buffer.from(input).toString('base64') }];
    const result = onlyResult(await runNtlm({ url: httpUrl, encryption, steps }));
    expect(stdoutText(result)).toBe(input);
    expect(result.statusCode).toBe(0);
  });
});

describe('pywinrm NTLM over HTTP, message_encryption=never', () => {
  it('is refused with 401 by the default server (AllowUnencrypted=false)', async () => {
    expectRefused(await runNtlm({ url: httpUrl, encryption: 'never', steps: [{ op: 'run', command: 'echo no' }] }));
  });

  it('is refused for the plaintext body, not for the credentials', async () => {
    const since = server.logs().length;
    expectRefused(await runNtlm({ url: httpUrl, encryption: 'never', steps: [{ op: 'run', command: 'echo no' }] }));
    // requests-ntlm resends the body with every leg: the AUTHENTICATE leg logged alice on and still got 401.
    await waitForLog(server, (r) => r['event'] === 'unencrypted-refused', since);
    await waitForLog(server, (r) => r['event'] === 'request' && r['status'] === 401 && r['user'] === ADMIN.name, since);
    expect(server.logs().slice(since).some((line) => line.includes('"event":"logon-failed"'))).toBe(false);
  });

  describe('with Service.AllowUnencrypted=true', () => {
    let plain: RunningServer;
    beforeAll(async () => {
      plain = await startServer({ users: [ADMIN], sets: ['Service.AllowUnencrypted=true'] });
      return () => plain.stop();
    });

    it('is accepted', async () => {
      const url = `http://127.0.0.1:${plain.httpPort}/wsman`;
      const result = onlyResult(await runNtlm({ url, encryption: 'never', steps: [{ op: 'run', command: 'echo plain' }] }));
      expect(stdoutText(result)).toBe('plain\n');
      expect(result.statusCode).toBe(0);
    });

    it('accepts a client without channel binding on HTTPS (CbtHardeningLevel=Relaxed, the default)', async () => {
      const url = `https://127.0.0.1:${plain.httpsPort}/wsman`;
      const result = onlyResult(await runNtlm({ url, sendCbt: false, steps: [{ op: 'run', command: 'echo relaxed' }] }));
      expect(stdoutText(result)).toBe('relaxed\n');
    });
  });
});

describe('pywinrm NTLM over HTTPS with CbtHardeningLevel=Strict', () => {
  it('works with channel binding (tls-server-end-point)', async () => {
    const output = await runNtlm({ url: httpsUrl, steps: [{ op: 'session_run_cmd', command: 'echo', args: ['bound'] }, { op: 'run', command: 'echo out; echo err >&2; exit 4' }] });
    expect(output.error).toBeNull();
    expect(output.results.map(stdoutText)).toEqual(['bound\n', 'out\n']);
    expect(output.results.map((r) => r.stderr.toString())).toEqual(['', 'err\n']);
    expect(output.results.map((r) => r.statusCode)).toEqual([0, 4]);
  });

  it('refuses a client that sends no channel binding with 401', async () => {
    expectRefused(await runNtlm({ url: httpsUrl, sendCbt: false, steps: [{ op: 'run', command: 'echo no' }] }));
  });

  it('refuses a wrong password with 401', async () => {
    expectRefused(await runNtlm({ url: httpsUrl, password: 'wrong-password', steps: [{ op: 'run', command: 'echo no' }] }));
  });

  it('refuses an unknown user with 401', async () => {
    expectRefused(await runNtlm({ url: httpsUrl, user: 'mallory', password: 'whatever-1A', steps: [{ op: 'run', command: 'echo no' }] }));
  });

  it('refuses a user outside Administrators with 401', async () => {
    const since = server.logs().length;
    expectRefused(await runNtlm({ url: httpsUrl, user: NOBODY.name, password: NOBODY.password, steps: [{ op: 'run', command: 'echo no' }] }));
    // The password was right: the refusal is the group check's.
    await waitForLog(server, (r) => r['event'] === 'access-denied' && r['user'] === NOBODY.name, since);
  });
});
