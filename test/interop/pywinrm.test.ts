/**
 * Interop with pywinrm 0.3.0 (Debian python3-winrm, run with /usr/bin/python3) over Basic auth.
 * The client script is test/interop/pywinrm_client.py; see its docstring for the spec format.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyResult, runPywinrmSpec, stdoutText, type PywinrmOutput, type PywinrmStep } from '../support/pywinrm-runner.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { encodedScriptOf, FAKE_PWSH_OUTPUT, installFakePwsh, type FakePwsh } from '../support/fake-pwsh.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const ADMIN2: TestUser = { name: 'bob', password: 'B0b:with colon', groups: ['Administrators'] };
const NOBODY: TestUser = { name: 'carol', password: 'Carol-Pa55word!', groups: [] };

type Step = PywinrmStep;

/** Runs pywinrm_client.py (through test/support's pythonEnv) with Basic auth. */
function runPywinrm(endpoint: string, user: TestUser, steps: Step[], password = user.password): Promise<PywinrmOutput> {
  return runPywinrmSpec({ endpoint, user: user.name, password, transport: 'basic', steps });
}

const only = onlyResult;

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

  it('passes a large stdin byte for byte: one Send of 400 KB of base64, its content kept as bytes by the listener', async () => {
    const input = randomBytes(300_000);
    const steps: Step[] = [{ op: 'run', command: 'sha256sum', stdin_b64: input.toString('base64'), console_mode_stdin: false }];
    const result = only(await runPywinrm(httpsUrl, ADMIN, steps));
    expect(stdoutText(result)).toBe(`${createHash('sha256').update(input).digest('hex')}  -\n`);
    expect(result.statusCode).toBe(0);
  });

  it('gives a terminal as stdin with console mode TRUE (its default) and a pipe with FALSE; stdout and stderr stay pipes', async () => {
    const probe = '[ -t 0 ] && echo stdin=tty || echo stdin=pipe; [ -t 1 ] || echo stdout=pipe; [ -t 2 ] || echo stderr=pipe >&2';
    const output = await runPywinrm(httpsUrl, ADMIN, [
      { op: 'run', command: probe },
      { op: 'run', command: probe, console_mode_stdin: false },
      { op: 'session_run_cmd', command: probe },
    ]);
    expect(output.error).toBeNull();
    expect(output.results.map((r) => [stdoutText(r), r.stderr.toString()])).toEqual([
      ['stdin=tty\nstdout=pipe\n', 'stderr=pipe\n'],
      ['stdin=pipe\nstdout=pipe\n', 'stderr=pipe\n'],
      ['stdin=tty\nstdout=pipe\n', 'stderr=pipe\n'],
    ]);
  });

  it('passes binary stdin unchanged with console mode FALSE, as Ansible sends it', async () => {
    const input = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const steps: Step[] = [{ op: 'run', command: 'cat', stdin_b64: input.toString('base64'), console_mode_stdin: false }];
    const result = only(await runPywinrm(httpsUrl, ADMIN, steps));
    expect(result.stdout).toEqual(input);
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

/**
 * The command mapping (Winrmd.CommandMapping) as pywinrm meets it: run_ps sends
 * `powershell -encodedcommand <UTF-16LE script in Base64>` and parses a CLIXML stderr.
 */
describe('pywinrm run_ps and cmd idioms', () => {
  const SCRIPT = "$name = 'wörld \"quoted\"'\r\nWrite-Output \"hello $name\" # ✓";
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'winrmd-pwsh-interop-'));
    return () => rm(scratch, { recursive: true, force: true });
  });

  describe('without pwsh', () => {
    let bare: RunningServer;
    let url: string;
    beforeAll(async () => {
      // A PATH holding nothing, so that no pwsh installed on this machine is found.
      const emptyPath = await mkdtemp(join(scratch, 'empty-'));
      bare = await startServer({ users: [ADMIN], env: { PATH: emptyPath } });
      url = `https://127.0.0.1:${bare.httpsPort}/wsman`;
      return () => bare.stop();
    });

    it("fails as cmd.exe fails, with the CLIXML error run_ps cleans and exit code 9009", async () => {
      const result = only(await runPywinrm(url, ADMIN, [{ op: 'session_run_ps', command: SCRIPT }]));
      expect(result.statusCode).toBe(9009);
      expect(stdoutText(result)).toBe('');
      expect(result.stderrRaw?.toString()).toMatch(/^#< CLIXML\r\n<Objs Version="1\.1\.0\.1" xmlns="http:\/\/schemas\.microsoft\.com\/powershell\/2004\/04"><S S="Error">/);
      expect(result.stderr.toString()).toBe("'powershell' is not recognized as an internal or external command,\noperable program or batch file.");
    });

    it('runs cmd /c lines and reports exit /b codes beyond 255', async () => {
      const output = await runPywinrm(url, ADMIN, [
        { op: 'run', command: 'cmd.exe', args: ['/c', '"echo mapped"'] },
        { op: 'run', command: 'cmd', args: ['/c', 'exit /b 300'] },
        { op: 'run', command: 'exit /b 9009' },
      ]);
      expect(output.error).toBeNull();
      expect(output.results.map((r) => [stdoutText(r), r.statusCode])).toEqual([
        ['mapped\n', 0],
        ['', 300],
        ['', 9009],
      ]);
    });
  });

  describe('cmd syntax inside cmd /c', () => {
    let server: RunningServer;
    let url: string;
    beforeAll(async () => {
      server = await startServer({ users: [ADMIN] });
      url = `https://127.0.0.1:${server.httpsPort}/wsman`;
      return () => server.stop();
    });

    it('runs & && || as cmd does and reports %ERRORLEVEL% and !ERRORLEVEL! exit codes as Windows would', async () => {
      const output = await runPywinrm(url, ADMIN, [
        { op: 'run', command: 'cmd /c "echo one & echo two && echo three || echo never"' },
        // cmd expands %ERRORLEVEL% when it reads the line, before `false` runs: Windows exits 0 here.
        { op: 'run', command: 'cmd', args: ['/c', '"false & exit /b %ERRORLEVEL%"'] },
        // With delayed expansion the value is read when exit runs: false's status.
        { op: 'run', command: 'cmd', args: ['/v:on', '/c', '"false & exit /b !ERRORLEVEL!"'] },
        { op: 'run', command: 'cmd /c "false || exit /b 300"' },
        { op: 'run', command: 'cmd.exe /c "echo kept && exit /b 7"' },
      ]);
      expect(output.error).toBeNull();
      expect(output.results.map((r) => [stdoutText(r), r.statusCode])).toEqual([
        ['one\ntwo\nthree\n', 0],
        ['', 0],
        ['', 1],
        ['', 300],
        ['kept\n', 7],
      ]);
    });
  });

  describe('with a pwsh on PATH', () => {
    let withPwsh: RunningServer;
    let url: string;
    let fake: FakePwsh;
    beforeAll(async () => {
      fake = await installFakePwsh(await mkdtemp(join(scratch, 'fake-')));
      withPwsh = await startServer({ users: [ADMIN], env: { PATH: `${fake.directory}:/usr/bin:/bin` } });
      url = `https://127.0.0.1:${withPwsh.httpsPort}/wsman`;
      return () => withPwsh.stop();
    });

    it('hands the decoded script to pwsh intact', async () => {
      const result = only(await runPywinrm(url, ADMIN, [{ op: 'session_run_ps', command: SCRIPT }]));
      expect([stdoutText(result), result.stderr.toString(), result.statusCode]).toEqual([`${FAKE_PWSH_OUTPUT}\n`, '', 0]);
      const calls = await fake.calls();
      expect(calls).toHaveLength(1);
      const [call] = calls;
      expect(call?.args.slice(0, 1)).toEqual(['-EncodedCommand']);
      expect(call && encodedScriptOf(call)).toBe(SCRIPT);
    });
  });
});
