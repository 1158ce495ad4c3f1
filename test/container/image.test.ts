/**
 * The winrmd image as a container user runs it: the password in the environment, a configuration
 * file, a users file and a password file mounted, only the capabilities the README's line keeps, the ports published; pywinrm
 * from the host over both transports; then `podman stop` with a command still running.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonEnv, PYTHON } from '../support/client-env.js';
import { builtImage, eventually, ok, podman, publishedPort, runTool, uniqueName } from '../support/podman.js';
import { onlyResult, runPywinrmSpec, stdoutText } from '../support/pywinrm-runner.js';
import { REPO_ROOT } from '../support/server-process.js';

const LEAVE_RUNNING = fileURLToPath(new URL('./leave_command_running.py', import.meta.url));
/** The capabilities the README's `--cap-add` line keeps, as bits of /proc's CapBnd: CHOWN 0, KILL 5, SETGID 6, SETUID 7. */
const CAPABILITIES = ['CHOWN', 'KILL', 'SETGID', 'SETUID'];
const CAP_BOUNDING_SET = (1n << 0n) | (1n << 5n) | (1n << 6n) | (1n << 7n);
const GRACE_SECONDS = 30;
/** The ports the mounted configuration file sets. */
const HTTP_PORT = 15985;
const HTTPS_PORT = 15986;

const image = builtImage('WINRMD_TEST_IMAGE');
const container = uniqueName('winrmd-test');
const adminPassword = randomBytes(12).toString('base64url');
const alicePassword = randomBytes(12).toString('base64url');
let mounts: string | undefined;
let httpPort: number;
let httpsPort: number;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'winrmd-container-'));
  mounts = dir;
  await writeFile(join(dir, 'alice-password'), `${alicePassword}\n`);
  // Ports other than the image's EXPOSEd defaults: the health check only passes if it reads the
  // same file as serve (through WINRMD_CONFIG).
  await writeFile(join(dir, 'winrmd.yaml'), `Service:\n  DefaultPorts:\n    HTTP: ${HTTP_PORT}\n    HTTPS: ${HTTPS_PORT}\n`);
  await writeFile(join(dir, 'users.yaml'), 'users:\n  - name: alice\n    passwordFile: alice-password\n    groups: [Administrators]\n');
  await podman([
    'run', '--detach', '--name', container,
    '--env', `WINRMD_ADMIN_PASSWORD=${adminPassword}`,
    '--env', 'WINRMD_USERS_FILE=/etc/winrmd/users.yaml',
    '--env', 'WINRMD_CONFIG=/etc/winrmd/winrmd.yaml',
    '--volume', `${dir}:/etc/winrmd:ro`,
    '--publish', `127.0.0.1::${HTTP_PORT}`, '--publish', `127.0.0.1::${HTTPS_PORT}`,
    '--cap-drop', 'ALL', ...CAPABILITIES.flatMap((cap) => ['--cap-add', cap]),
    image,
  ]);
  // The image's HEALTHCHECK (`winrmd health`) passes once both listeners answer.
  const healthy = await eventually(async () => (await runTool('podman', ['healthcheck', 'run', container])).code === 0, 60);
  if (!healthy) throw new Error(`the container never became healthy:\n${(await runTool('podman', ['logs', container])).stderr}`);
  httpPort = await publishedPort(container, HTTP_PORT);
  httpsPort = await publishedPort(container, HTTPS_PORT);
});

afterAll(async () => {
  await runTool('podman', ['rm', '--force', '--volumes', '--time', '0', container]);
  if (mounts !== undefined) await rm(mounts, { recursive: true, force: true });
});

async function run(user: string, password: string, transport: 'basic' | 'ntlm', command: string): Promise<string> {
  const endpoint = transport === 'basic' ? `https://127.0.0.1:${httpsPort}/wsman` : `http://127.0.0.1:${httpPort}/wsman`;
  const output = await runPywinrmSpec({ endpoint, user, password, transport, steps: [{ op: 'session_run_cmd', command }] });
  const result = onlyResult(output);
  expect(result.statusCode).toBe(0);
  return stdoutText(result);
}

describe('the winrmd image', () => {
  it('runs the Administrator from WINRMD_ADMIN_PASSWORD as root, over Basic on HTTPS', async () => {
    expect(await run('Administrator', adminPassword, 'basic', 'id -un')).toBe('root\n');
  });

  it("runs the users file's alice as her own Linux account, created in the container, over NTLM on HTTP (encrypted)", async () => {
    const passwd = ok(await runTool('podman', ['exec', container, 'getent', 'passwd', 'alice']), 'getent');
    const [, , uid, gid, , home] = passwd.trim().split(':');
    expect(await run('alice', alicePassword, 'ntlm', 'id -u; id -g; id -un; echo "$HOME"; pwd')).toBe(`${uid}\n${gid}\nalice\n${home}\n${home}\n`);
    expect(uid).not.toBe('0');
  });

  it('keeps only the capabilities it was given, and its shells as alice get none', async () => {
    const rootCaps = await run('Administrator', adminPassword, 'basic', 'grep -E "^Cap(Bnd|Eff)" /proc/self/status');
    expect(BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(rootCaps)?.[1] ?? 'x'}`)).toBe(CAP_BOUNDING_SET);
    const aliceCaps = await run('alice', alicePassword, 'ntlm', 'grep -E "^CapEff" /proc/self/status');
    expect(aliceCaps).toMatch(/^CapEff:\s*0+\n$/);
  });

  it('loads every production dependency (native addons included) from the image', async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const dependencies = Object.keys(manifest.dependencies ?? {});
    expect(dependencies.length).toBeGreaterThan(0);
    const script = `for (const name of ${JSON.stringify(dependencies)}) { await import(name); console.log(name); }`;
    const loaded = ok(await runTool('podman', ['exec', '--workdir', '/opt/winrmd', container, 'node', '--input-type=module', '-e', script]), 'import');
    expect(loaded.trim().split('\n')).toEqual(dependencies);
  });

  it('stops on SIGTERM within the grace period, ending the shells still running, with no error', async () => {
    // A sleep no other process has on its command line (GNU sleep takes fractions).
    const marker = `sleep 600.${randomBytes(4).readUInt32BE(0)}`;
    const left = await runTool(PYTHON, [LEAVE_RUNNING, `http://127.0.0.1:${httpPort}/wsman`, 'alice', alicePassword, marker], { env: pythonEnv() });
    const shellId = ok(left, 'leave_command_running.py').trim();
    const listProcesses = 'for p in /proc/[0-9]*; do echo "$(stat -c %U "$p") $(tr "\\0" " " < "$p/cmdline")"; done';
    const running = await eventually(async () => ok(await runTool('podman', ['exec', container, 'sh', '-c', listProcesses]), 'ps').includes(`alice ${marker}`), 15);
    expect(running).toBe(true);

    ok(await runTool('podman', ['stop', '--time', String(GRACE_SECONDS), container], { timeoutMs: (GRACE_SECONDS + 60) * 1000 }), 'podman stop');
    // 0 is winrmd's own exit after closing; a stop that ran out of grace would end in SIGKILL (137).
    const state = (await podman(['inspect', container, '--format', '{{.State.ExitCode}} {{.State.Status}}'])).trim();
    expect(state).toBe('0 exited');
    const logs = await runTool('podman', ['logs', container]);
    const lines = logs.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; event?: string; shellId?: string; reason?: string });
    expect(lines.some((line) => line.event === 'stopping')).toBe(true);
    // winrmd itself ended the shell (and its processes), not the runtime's kill of what PID 1 left.
    expect(lines.filter((line) => line.event === 'shell-deleted' && line.shellId?.toLowerCase() === shellId.toLowerCase())).toEqual([
      expect.objectContaining({ reason: 'service stopping' }),
    ]);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(logs.stderr).not.toMatch(/Error|error/);
  });
});

describe('the winrmd image with no configuration at all', () => {
  const bare = uniqueName('winrmd-test-bare');

  afterAll(async () => {
    await runTool('podman', ['rm', '--force', '--volumes', '--time', '0', bare]);
  });

  it('makes an Administrator with a generated password, printed once, that logs on', async () => {
    await podman(['run', '--detach', '--name', bare, '--publish', '127.0.0.1::5986', image]);
    const printed = await eventually(async () => /with password:\n\n {4}\S+/.test((await runTool('podman', ['logs', bare])).stderr), 60);
    expect(printed).toBe(true);
    const password = /with password:\n\n {4}(\S+)/.exec((await runTool('podman', ['logs', bare])).stderr)?.[1] ?? '';
    expect(await eventually(async () => (await runTool('podman', ['exec', bare, 'winrmd', 'health'])).code === 0, 30)).toBe(true);
    const port = await publishedPort(bare, 5986);
    const output = await runPywinrmSpec({ endpoint: `https://127.0.0.1:${port}/wsman`, user: 'Administrator', password, transport: 'basic', steps: [{ op: 'session_run_cmd', command: 'id -un' }] });
    expect(stdoutText(onlyResult(output))).toBe('root\n');
  });
});
