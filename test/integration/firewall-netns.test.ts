/**
 * The firewall on a real network (issue 6), as root, with network namespaces (firewall-lab.ts):
 * the server's interface Public lets the client on its subnet in (pywinrm runs a command) and
 * refuses the routed one before TLS; Private lets both in; Service.IPv4Filter narrowed to one
 * address lets only that one in. Without root or `ip netns`, the suite says so and is skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../support/firewall-probe.js';
import { addLabUser, createLab, FAR_ADDRESS, labUnavailableReason, NEAR_ADDRESS, SERVER_ADDRESS, startLabServer, type Lab, type LabServer } from './firewall-lab.js';

const PYWINRM_CLIENT = fileURLToPath(new URL('../interop/pywinrm_client.py', import.meta.url));
const USER = { name: 'fwadmin', password: 'Fw-Pa55word!' };
const HTTPS_URL = `https://${SERVER_ADDRESS}:5986/wsman`;

const unavailable = await labUnavailableReason();
if (unavailable !== undefined) {
  console.warn(`\n*** SKIPPED: firewall network-namespace tests need root and 'ip netns' (${unavailable}). CI runs them as root. ***\n`);
}

interface PywinrmResult {
  ok: boolean;
  stdout: string;
  errorClass: string | undefined;
}

/** pywinrm (Debian's, /usr/bin/python3) inside `ns`, running `echo WORD` over HTTPS with Basic. */
function pywinrmEcho(ns: string, word: string): Promise<PywinrmResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // requests would let these override server_cert_validation='ignore', or send us to a proxy.
  for (const name of ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) {
    Reflect.deleteProperty(env, name);
  }
  const spec = { endpoint: HTTPS_URL, user: USER.name, password: USER.password, transport: 'basic', steps: [{ op: 'run', command: `echo ${word}` }] };
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, '/usr/bin/python3', PYWINRM_CLIENT], { env, stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`pywinrm_client.py exited ${String(code)}: ${err}`));
        return;
      }
      const parsed = JSON.parse(out) as { ok?: unknown; results?: { stdout_b64?: unknown }[]; error?: { class?: unknown } | null };
      const encoded = parsed.results?.[0]?.stdout_b64;
      resolve({
        ok: parsed.ok === true,
        stdout: typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : '',
        errorClass: typeof parsed.error?.class === 'string' ? parsed.error.class : undefined,
      });
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

function logEvents(server: LabServer, event: string): Record<string, unknown>[] {
  return server
    .logs()
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record['event'] === event);
}

describe.skipIf(unavailable !== undefined)('the firewall between network namespaces', () => {
  let lab: Lab | undefined;
  let stateDir = '';

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'winrmd-firewall-'));
    await addLabUser(stateDir, USER.name, USER.password);
    lab = await createLab();
  });

  afterAll(async () => {
    await lab?.destroy();
    await rm(stateDir, { recursive: true, force: true });
  });

  function theLab(): Lab {
    if (lab === undefined) throw new Error('the lab was not built');
    return lab;
  }

  /** Starts the server for one describe block and stops it after, even when a test failed. */
  function serverWith(sets: () => string[]): () => LabServer {
    let server: LabServer | undefined;
    beforeAll(async () => {
      server = await startLabServer(theLab(), stateDir, sets());
    });
    afterAll(async () => {
      await server?.stop();
    });
    return () => {
      if (server === undefined) throw new Error('the server did not start');
      return server;
    };
  }

  describe('with the server\'s interface Public', () => {
    const server = serverWith(() => [`Firewall.Profiles=${theLab().serverInterface}=Public`]);

    it('lets the client on the server\'s subnet in: pywinrm runs a command', async () => {
      const result = await pywinrmEcho(theLab().namespaces.near, 'hello-from-near');
      expect(result).toEqual({ ok: true, stdout: 'hello-from-near\n', errorClass: undefined });
    });

    it('refuses the routed client before TLS: a reset or close, no ServerHello, nothing read', async () => {
      const far = theLab().namespaces.far;
      const tls = await runProbe({ kind: 'tls', host: SERVER_ADDRESS, port: 5986 }, ['ip', 'netns', 'exec', far]);
      expect(tls).toMatchObject({ received: 0, secure: false, timedOut: false });
      expect([null, 'ECONNRESET']).toContain(tls.error);
      const http = await runProbe({ kind: 'http', host: SERVER_ADDRESS, port: 5985 }, ['ip', 'netns', 'exec', far]);
      expect(http).toMatchObject({ received: 0, statusLine: null, timedOut: false });
      const client = await pywinrmEcho(far, 'never');
      expect(client.ok).toBe(false);
      expect(client.errorClass).toBe('ConnectionError');

      const farDrops = (): Record<string, unknown>[] => logEvents(server(), 'firewall-drop').filter((drop) => drop['remoteAddress'] === FAR_ADDRESS);
      // Drops are logged at accept time, outside any request: they reach the log within moments.
      await expect.poll(() => farDrops().length).toBeGreaterThanOrEqual(3);
      const drops = farDrops();
      expect(drops[0]).toMatchObject({ localAddress: SERVER_ADDRESS, localPort: 5986, transport: 'https', profile: 'Public', rule: '(no matching allow rule)', bytesRead: 0 });
      expect(drops.some((drop) => drop['transport'] === 'http' && drop['localPort'] === 5985)).toBe(true);
      // No request from far reached the HTTP layer; near's did.
      const requests = logEvents(server(), 'request');
      expect(requests.some((request) => request['remoteAddress'] === FAR_ADDRESS)).toBe(false);
      expect(requests.some((request) => request['remoteAddress'] === NEAR_ADDRESS)).toBe(true);
    });
  });

  describe('with the server\'s interface Private', () => {
    const server = serverWith(() => [`Firewall.Profiles=${theLab().serverInterface}=Private`]);

    it('lets both clients in', async () => {
      const [near, far] = await Promise.all([pywinrmEcho(theLab().namespaces.near, 'near-ok'), pywinrmEcho(theLab().namespaces.far, 'far-ok')]);
      expect(near).toEqual({ ok: true, stdout: 'near-ok\n', errorClass: undefined });
      expect(far).toEqual({ ok: true, stdout: 'far-ok\n', errorClass: undefined });
      expect(logEvents(server(), 'firewall-drop')).toEqual([]);
    });
  });

  describe('with Service.IPv4Filter narrowed to the routed client\'s address', () => {
    const server = serverWith(() => [`Firewall.Profiles=${theLab().serverInterface}=Private`, `Service.IPv4Filter=${FAR_ADDRESS}`]);

    it('lets only that one in, even though the firewall would let both', async () => {
      const far = await pywinrmEcho(theLab().namespaces.far, 'only-far');
      expect(far).toEqual({ ok: true, stdout: 'only-far\n', errorClass: undefined });
      const near = await runProbe({ kind: 'tls', host: SERVER_ADDRESS, port: 5986 }, ['ip', 'netns', 'exec', theLab().namespaces.near]);
      expect(near).toMatchObject({ received: 0, secure: false });
      const nearClient = await pywinrmEcho(theLab().namespaces.near, 'never');
      expect(nearClient.ok).toBe(false);
      await expect.poll(() => logEvents(server(), 'firewall-drop').length).toBeGreaterThanOrEqual(2);
      const drops = logEvents(server(), 'firewall-drop');
      expect(drops.every((drop) => drop['remoteAddress'] === NEAR_ADDRESS && drop['rule'] === 'Service.IPv4Filter')).toBe(true);
    });
  });
});
