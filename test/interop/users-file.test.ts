/**
 * `winrmd serve` outside a container with the container-style inputs: the first-start password from
 * WINRMD_ADMIN_PASSWORD_FILE and users from WINRMD_USERS_FILE (a password file relative to it),
 * checked by logging on with pywinrm; and a broken users file stops the start with a clear message.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/client-env.js';
import { onlyResult, runPywinrmSpec, stdoutText } from '../support/pywinrm-runner.js';
import { REPO_ROOT, shebangNodeOptions, startServer, type RunningServer } from '../support/server-process.js';

const adminPassword = randomBytes(12).toString('base64url');
const bobPassword = randomBytes(12).toString('base64url');
let dir: string | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  const files = await mkdtemp(join(tmpdir(), 'winrmd-users-file-'));
  dir = files;
  await writeFile(join(files, 'admin'), `${adminPassword}\n`);
  await writeFile(join(files, 'bob'), `${bobPassword}\n`);
  await writeFile(join(files, 'users.yaml'), 'users:\n  - name: bob\n    passwordFile: bob\n    groups: [Remote Management Users]\n    createOsUser: false\n');
  server = await startServer({
    env: { WINRMD_ADMIN_PASSWORD: '', WINRMD_ADMIN_PASSWORD_FILE: join(files, 'admin'), WINRMD_USERS_FILE: join(files, 'users.yaml') },
  });
});

afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function whoAmI(user: string, password: string): Promise<string> {
  if (server === undefined) throw new Error('no server');
  const output = await runPywinrmSpec({
    endpoint: `https://127.0.0.1:${server.httpsPort}/wsman`,
    user,
    password,
    transport: 'basic',
    steps: [{ op: 'session_run_cmd', command: 'echo', args: ['in'] }],
  });
  return stdoutText(onlyResult(output));
}

describe('WINRMD_ADMIN_PASSWORD_FILE and WINRMD_USERS_FILE', () => {
  it('creates Administrator with the password from the file, and prints no generated one', async () => {
    expect(await whoAmI('Administrator', adminPassword)).toBe('in\n');
    expect(server?.logs().join('\n')).not.toMatch(/with password:/);
    expect(server?.logs().join('\n')).toMatch(/"passwordFrom":"WINRMD_ADMIN_PASSWORD_FILE"/);
  });

  it('adds the users of the users file, and logs their names only', async () => {
    expect(await whoAmI('bob', bobPassword)).toBe('in\n');
    const logs = server?.logs().join('\n') ?? '';
    expect(logs).toMatch(/"event":"users-file".*"added":\["bob"\]/);
    expect(logs).not.toContain(bobPassword);
    expect(logs).not.toContain(adminPassword);
    const users = await readFile(join(server?.stateDir ?? '', 'users.json'), 'utf8');
    expect(users).not.toContain(bobPassword);
  });

  it('refuses to start with a broken users file, naming the file and the field', async () => {
    const files = dir ?? '';
    const stateDir = await mkdtemp(join(tmpdir(), 'winrmd-users-file-state-'));
    try {
      await writeFile(join(files, 'broken.yaml'), 'users:\n  - name: carol\n    password: x\n    group: Administrators\n');
      const winrmd = join(REPO_ROOT, 'bin', 'winrmd');
      const result = await runProcess(process.execPath, [...shebangNodeOptions(winrmd), winrmd, 'serve', '--state-dir', stateDir, '--http-port', '0', '--https-port', '0'], {
        env: { ...process.env, WINRMD_USERS_FILE: join(files, 'broken.yaml'), WINRMD_ADMIN_PASSWORD: 'unused' },
        timeoutMs: 30_000,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/broken\.yaml: users\[0\] \(carol\): unknown field group/);
      // Nothing was written: not even the first-start Administrator.
      await expect(readFile(join(stateDir, 'users.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
