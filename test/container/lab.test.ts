/**
 * The lab (lab/compose.yaml) under podman-compose: the KDC makes the realm and the endpoints'
 * keytabs at start, and from the client container `kinit alice` plus pywinrm's Kerberos transport
 * reaches each endpoint by its host name.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server-process.js';
import { builtImage, eventually, ok, podmanEnv, runTool, uniqueName } from '../support/podman.js';

const COMPOSE_FILE = join(REPO_ROOT, 'lab', 'compose.yaml');
const ENDPOINTS = ['winrm1', 'winrm2', 'winrm3'];
const project = uniqueName('winrmd-lab');
const password = `Lab-${randomBytes(9).toString('base64url')}`;
const env = podmanEnv({
  WINRMD_IMAGE: builtImage('WINRMD_TEST_IMAGE'),
  LAB_KDC_IMAGE: builtImage('WINRMD_TEST_KDC_IMAGE'),
  LAB_CLIENT_IMAGE: builtImage('WINRMD_TEST_CLIENT_IMAGE'),
  LAB_PASSWORD: password,
});

function compose(args: readonly string[]): ReturnType<typeof runTool> {
  return runTool('podman-compose', ['--project-name', project, '--file', COMPOSE_FILE, ...args], { env, timeoutMs: 300_000 });
}

/** podman-compose's name for a service's container. */
function containerOf(service: string): string {
  return `${project}_${service}_1`;
}

function kerberosFromClient(): ReturnType<typeof runTool> {
  return runTool('podman', ['exec', containerOf('client'), 'sh', '-c', 'echo "$LAB_PASSWORD" | kinit alice >/dev/null && try-kerberos "$@"', 'sh', ...ENDPOINTS], { env });
}

beforeAll(async () => {
  ok(await compose(['up', '--detach', '--no-build']), 'podman-compose up');
});

afterAll(async () => {
  await compose(['down', '--volumes']);
  // podman-compose 1.0 leaves the project's network behind.
  await runTool('podman', ['network', 'rm', '--force', `${project}_default`], { env });
});

describe('the compose lab', () => {
  it('runs a Kerberos command from the client container on each endpoint, by host name', async () => {
    // The endpoints start once the KDC has written their keytabs; the first tries may find them starting.
    let last = await kerberosFromClient();
    const ready = await eventually(async () => {
      last = await kerberosFromClient();
      return last.code === 0;
    }, 120);
    const logs = ready ? '' : (await runTool('podman', ['logs', containerOf('kdc')], { env })).stderr;
    expect(ready, `try-kerberos: ${last.stdout}${last.stderr}${logs}`).toBe(true);
    expect(last.stdout.trim().split('\n')).toEqual(ENDPOINTS.map((host) => `${host} 0 ${host} alice`));
  });

  it('lets the client reach an endpoint with NTLM over HTTP (encrypted) too, as alice', async () => {
    const script = [
      'import os, winrm',
      "s = winrm.Session('http://winrm3:5985/wsman', auth=('alice', os.environ['LAB_PASSWORD']), transport='ntlm')",
      "r = s.run_cmd('id -un')",
      "print(r.status_code, r.std_out.decode().strip())",
    ].join('\n');
    const result = await runTool('podman', ['exec', containerOf('client'), 'python3', '-c', script], { env });
    expect(ok(result, 'NTLM from the client').trim()).toBe('0 alice');
  });

  it('logs the Kerberos logons as Windows would (4624, Kerberos package) on each endpoint', async () => {
    for (const host of ENDPOINTS) {
      const events = ok(await runTool('podman', ['exec', containerOf(host), 'winrmd', 'events', '--id', '4624'], { env }), `events on ${host}`);
      const aliceByKerberos = events
        .split('\n')
        .filter((line) => line.includes('"TargetUserName":"alice"') && line.includes('"AuthenticationPackageName":"Kerberos"'));
      expect(aliceByKerberos.length, events).toBeGreaterThan(0);
    }
  });
});
