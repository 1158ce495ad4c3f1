/**
 * Kerberos interop against a real MIT KDC (test/support/kdc.ts) with real clients:
 * - pywinrm 0.3.0 transport='kerberos' (Debian python3-winrm + python3-requests-kerberos) over HTTPS;
 * - test/interop/gssapi_winrm_client.py (python3-gssapi) over HTTP with WinRM message encryption,
 *   under the Kerberos scheme and under Negotiate (raw krb5 and SPNEGO), and over HTTPS with channel
 *   bindings;
 * - curl --negotiate over HTTPS;
 * - hand-built AP-REQs (test/support/krb5-apreq.ts) for what no client library will send.
 *
 * A principal alice@WINRMD.TEST maps to the local user alice; the user store's password is unrelated.
 *
 * The server is started with --set Service.Auth.Keytab=<the KDC's keytab> and must log
 * {"event":"kerberos","enabled":true,...} at start.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startKdc, type RunningKdc } from '../support/kdc.js';
import { buildApReq, kerberosTimeText, readApRep } from '../support/krb5-apreq.js';
import { findCredential, readCcache, type CcacheCredential } from '../support/krb5-ccache.js';
import { asRecord, krbClientEnv, parseClientOutput, runPythonJson, runText, type ClientOutput, type StepResult } from '../support/python-client.js';
import { logRecords } from '../support/server-logs.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';

const REALM = 'WINRMD.TEST';

/** Kerberos passwords; the local user store gets different ones on purpose. */
const ALICE = { name: 'alice', password: 'Alice-Krb5-pa55!' };
const CAROL = { name: 'carol', password: 'Carol-Krb5-pa55!' };
const DAVE = { name: 'dave', password: 'Dave-Krb5-pa55!' };
const LOCAL_USERS: TestUser[] = [
  { name: 'alice', password: 'Local-Alice-0nly', groups: ['Administrators'] },
  { name: 'carol', password: 'Local-Carol-0nly', groups: [] },
];

const IDENTIFY =
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
  'xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">' +
  '<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>';

// ------------------------------------------------------------------------------------------------
// Setup at collection time: it.skipIf needs to know whether the server does Kerberos.

function kerberosEvent(server: RunningServer): Record<string, unknown> | undefined {
  return logRecords(server).find((record) => record['event'] === 'kerberos');
}

async function waitForKerberosEvent(server: RunningServer, ms: number): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const event = kerberosEvent(server);
    if (event !== undefined || Date.now() > deadline) return event;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startKerberosServer(kdc: RunningKdc, sets: string[] = []): Promise<RunningServer> {
  return startServer({ users: LOCAL_USERS, sets: [`Service.Auth.Keytab=${kdc.keytab}`, ...sets] });
}

let kdc: RunningKdc;
let server: RunningServer;
/** The server's {"event":"kerberos",...} start-up line. */
let startupEvent: Record<string, unknown> | undefined;

beforeAll(async () => {
  kdc = await startKdc({ realm: REALM, users: [ALICE, CAROL, DAVE], services: ['HTTP/localhost'] });
  // Known to the KDC but not in the server's keytab.
  await kdc.addPrincipal('HTTP/otherhost');
  server = await startKerberosServer(kdc);
  startupEvent = await waitForKerberosEvent(server, 3000);
  return async () => {
    await server.stop();
    await kdc.stop();
  };
});

// ------------------------------------------------------------------------------------------------
// Helpers

const httpsUrl = (s: RunningServer): string => `https://127.0.0.1:${s.httpsPort}/wsman`;
const httpUrl = (s: RunningServer): string => `http://127.0.0.1:${s.httpPort}/wsman`;

const tickets = new Map<string, string>();

/** A credential cache with a TGT for `user`, shared across tests (one kinit per user). */
async function ticketFor(user: { name: string; password: string }): Promise<string> {
  const known = tickets.get(user.name);
  if (known !== undefined) return known;
  const ccache = await kdc.kinit(user.name, user.password);
  tickets.set(user.name, ccache);
  return ccache;
}

interface Step {
  op: 'run' | 'session_run_cmd' | 'identify';
  command?: string;
  args?: string[];
  stdin_b64?: string;
  repeat?: number;
  digest_only?: boolean;
}

interface GssSpec {
  endpoint: string;
  scheme: 'Kerberos' | 'Negotiate';
  mech?: 'krb5' | 'spnego';
  target?: string;
  encrypt?: boolean;
  channel_bindings?: boolean;
  tamper?: boolean;
  tamper_request?: number;
  steps: Step[];
}

async function runGss(user: { name: string; password: string }, spec: GssSpec, flags: string[] = []): Promise<ClientOutput> {
  const ccache = await ticketFor(user);
  const out = await runPythonJson('gssapi_winrm_client.py', { target: 'HTTP@localhost', ...spec }, kdc.env(ccache), flags);
  return parseClientOutput(out);
}

async function runPywinrmKerberos(user: { name: string; password: string }, endpoint: string, steps: Step[]): Promise<ClientOutput> {
  const ccache = await ticketFor(user);
  const spec = { endpoint, principal: `${user.name}@${REALM}`, hostname_override: 'localhost', steps };
  return parseClientOutput(await runPythonJson('pywinrm_kerberos_client.py', spec, kdc.env(ccache)));
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

interface RawReply {
  status: number;
  authenticate: string[];
  body: string;
}

/** One POST on a fresh TLS connection, certificate unchecked. */
function postHttps(url: string, headers: Record<string, string>, body: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        rejectUnauthorized: false,
        agent: false,
        headers: { 'Content-Length': String(payload.length), 'Content-Type': 'application/soap+xml;charset=UTF-8', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const authenticate: string[] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i];
            const value = res.rawHeaders[i + 1];
            if (name?.toLowerCase() === 'www-authenticate' && value !== undefined) authenticate.push(value);
          }
          resolve({ status: res.statusCode ?? 0, authenticate, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A service ticket for HTTP/localhost out of a fresh cache, for hand-built AP-REQs. */
async function serviceTicket(user: { name: string; password: string }, lifetime?: string): Promise<CcacheCredential> {
  const ccache = await kdc.kinit(user.name, user.password, lifetime === undefined ? {} : { lifetime });
  const kvno = await kdc.run('kvno', ['HTTP/localhost'], { ccache });
  if (kvno.code !== 0) throw new Error(`kvno failed: ${kvno.stderr}`);
  const cred = findCredential(await readCcache(ccache), 'HTTP/localhost');
  if (cred === undefined) throw new Error('no HTTP/localhost ticket in the cache');
  return cred;
}

function tokenAfter(values: string[], scheme: string): Buffer | undefined {
  for (const value of values) {
    const match = new RegExp(`^${scheme}\\s+([A-Za-z0-9+/=]+)$`, 'i').exec(value.trim());
    if (match?.[1] !== undefined) return Buffer.from(match[1], 'base64');
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------------

describe('test realm', () => {
  // Preconditions of the cases below, true whether or not the server does Kerberos yet.
  it('issues HTTP/localhost and HTTP/otherhost tickets, and only HTTP/localhost is in the server keytab', async () => {
    for (const user of [ALICE, CAROL, DAVE]) {
      const ccache = await ticketFor(user);
      const kvno = await kdc.run('kvno', ['HTTP/localhost', 'HTTP/otherhost'], { ccache });
      expect(kvno.stderr, user.name).toBe('');
      expect(kvno.code).toBe(0);
    }
    const keytab = await kdc.run('klist', ['-k', kdc.keytab]);
    expect(keytab.stdout).toContain(`HTTP/localhost@${REALM}`);
    expect(keytab.stdout).not.toContain('otherhost');
  });
});

describe('Kerberos support', () => {
  it('the server enables Kerberos with the test keytab', () => {
    expect(startupEvent, 'no {"event":"kerberos"} line in the server log').toBeDefined();
    expect(startupEvent?.['enabled']).toBe(true);
    const principals = startupEvent?.['principals'];
    expect(Array.isArray(principals) ? principals : []).toContain(`HTTP/localhost@${REALM}`);
  });

  it('advertises Negotiate and Kerberos to an unauthenticated request', async () => {
    const reply = await postHttps(httpsUrl(server), {}, IDENTIFY);
    expect(reply.status).toBe(401);
    const schemes = reply.authenticate.map((v) => v.trim().split(/\s+/)[0]?.toLowerCase());
    expect(schemes).toContain('negotiate');
    expect(schemes).toContain('kerberos');
  });

  it('takes the keytab from KRB5_KTNAME when Service.Auth.Keytab is empty', async () => {
    const other = await startServer({ users: LOCAL_USERS, env: { KRB5_KTNAME: `FILE:${kdc.keytab}` } });
    try {
      const event = await waitForKerberosEvent(other, 3000);
      expect(event?.['enabled']).toBe(true);
      const cred = await serviceTicket(ALICE);
      const reply = await postHttps(httpsUrl(other), { Authorization: `Kerberos ${buildApReq(cred).token.toString('base64')}` }, IDENTIFY);
      expect(reply.status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});

interface Battery {
  name: string;
  run: (steps: Step[]) => Promise<ClientOutput>;
}

const batteries: Battery[] = [
  {
    name: 'pywinrm transport=kerberos over HTTPS',
    run: (steps) => runPywinrmKerberos(ALICE, httpsUrl(server), steps),
  },
  {
    name: 'python3-gssapi, Kerberos scheme, over HTTP with message encryption',
    run: (steps) => runGss(ALICE, { endpoint: httpUrl(server), scheme: 'Kerberos', steps }),
  },
  {
    name: 'python3-gssapi, Negotiate with SPNEGO, over HTTP with message encryption',
    run: (steps) => runGss(ALICE, { endpoint: httpUrl(server), scheme: 'Negotiate', mech: 'spnego', steps }),
  },
];

for (const battery of batteries) {
  describe(battery.name, () => {
    it('runs echo hello', async () => {
      const result = only(await battery.run([{ op: 'run', command: 'echo', args: ['hello'] }]));
      expect(stdoutText(result)).toBe('hello\n');
      expect(result.stderr.toString()).toBe('');
      expect(result.statusCode).toBe(0);
    });

    it('reports exit codes', async () => {
      const output = await battery.run([
        { op: 'run', command: 'exit 3' },
        { op: 'run', command: 'exit 0' },
      ]);
      expect(output.error).toBeNull();
      expect(output.results.map((r) => r.statusCode)).toEqual([3, 0]);
    });

    it('keeps stderr apart from stdout', async () => {
      const result = only(await battery.run([{ op: 'run', command: 'echo out; echo err >&2' }]));
      expect(stdoutText(result)).toBe('out\n');
      expect(result.stderr.toString()).toBe('err\n');
    });

    it('delivers 5 MB of stdout intact and in order', async () => {
      const count = 800_000;
      const expected = Array.from({ length: count }, (_, i) => `${i + 1}\n`).join('');
      const result = only(await battery.run([{ op: 'run', command: `seq 1 ${count}`, digest_only: true }]));
      expect(result.stdoutLen).toBe(Buffer.byteLength(expected));
      expect(result.stdoutSha256).toBe(createHash('sha256').update(expected).digest('hex'));
      expect(result.statusCode).toBe(0);
    });

    it('passes stdin to the command', async () => {
      const input = 'first line\nsecond line \u2713\n';
      const result = only(await battery.run([{ op: 'run', command: 'cat', stdin_b64: Buffer.from(input).toString('base64') }]));
      expect(stdoutText(result)).toBe(input);
      expect(result.statusCode).toBe(0);
    });
  });
}

describe('python3-gssapi client details', () => {
  it('gets the AP-REP back under the scheme it used (Kerberos, Negotiate raw krb5, SPNEGO)', async () => {
    for (const [scheme, mech] of [
      ['Kerberos', 'krb5'],
      ['Negotiate', 'krb5'],
      ['Negotiate', 'spnego'],
    ] as const) {
      const output = await runGss(ALICE, { endpoint: httpUrl(server), scheme, mech, steps: [{ op: 'run', command: 'echo ok' }] });
      expect(output.error, `${scheme}/${mech}`).toBeNull();
      const auth = asRecord(output.raw['auth'], 'auth');
      expect(auth['status']).toBe(200);
      expect(auth['mutual_token']).toBe(true);
      expect(auth['complete']).toBe(true);
      expect(auth['reply_scheme']).toBe(scheme);
      const exchanges = output.raw['exchanges'];
      expect(Array.isArray(exchanges)).toBe(true);
      // Every reply after the handshake was sealed.
      const later = (Array.isArray(exchanges) ? exchanges : []).slice(1).map((e: unknown) => asRecord(e, 'exchange'));
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((e) => e['encrypted'] === true)).toBe(true);
    }
  });

  it('works over HTTPS with channel bindings, without message encryption', async () => {
    const output = await runGss(ALICE, {
      endpoint: httpsUrl(server),
      scheme: 'Kerberos',
      channel_bindings: true,
      steps: [{ op: 'identify' }, { op: 'run', command: 'echo tls' }],
    });
    expect(output.error).toBeNull();
    expect(output.results[0]?.body).toMatch(/IdentifyResponse/);
    expect(output.results[1] === undefined ? '' : stdoutText(output.results[1])).toBe('tls\n');
  });
});

describe('curl --negotiate', () => {
  it('does an authenticated Identify over HTTPS', async () => {
    const ccache = await ticketFor(ALICE);
    const port = server.httpsPort;
    const result = await runText(
      'curl',
      [
        '--silent',
        '--show-error',
        '--negotiate',
        '-u',
        ':',
        '--insecure',
        '--noproxy',
        '*',
        '--resolve',
        `localhost:${port}:127.0.0.1`,
        '-H',
        'Content-Type: application/soap+xml;charset=UTF-8',
        '--data-binary',
        IDENTIFY,
        '--write-out',
        '\n%{http_code}',
        `https://localhost:${port}/wsman`,
      ],
      krbClientEnv(kdc.env(ccache)),
    );
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('200');
    expect(result.stdout).toMatch(/IdentifyResponse/);
  });
});

describe('hand-built AP-REQs', () => {
  it('a valid one is accepted with a mutual-auth AP-REP that echoes the authenticator', async () => {
    const cred = await serviceTicket(ALICE);
    const built = buildApReq(cred);
    const reply = await postHttps(httpsUrl(server), { Authorization: `Kerberos ${built.token.toString('base64')}` }, IDENTIFY);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/IdentifyResponse/);
    const apRepToken = tokenAfter(reply.authenticate, 'Kerberos');
    if (apRepToken === undefined) throw new Error(`no Kerberos token in WWW-Authenticate: ${JSON.stringify(reply.authenticate)}`);
    const apRep = readApRep(apRepToken, cred);
    expect(apRep.ctime).toBe(kerberosTimeText(built.ctime));
    expect(apRep.cusec).toBe(built.cusec);
  });

  it('an authenticator an hour old is refused', async () => {
    const cred = await serviceTicket(ALICE);
    const token = buildApReq(cred, { ctime: new Date(Date.now() - 3_600_000) }).token;
    const reply = await postHttps(httpsUrl(server), { Authorization: `Kerberos ${token.toString('base64')}` }, IDENTIFY);
    expect(reply.status).toBe(401);
    expect(reply.body).not.toMatch(/IdentifyResponse/);
  });

  describe('with Service.Auth.MaxClockSkewms=1000', () => {
    let strict: RunningServer | undefined;
    beforeAll(async () => {
      strict = await startKerberosServer(kdc, ['Service.Auth.MaxClockSkewms=1000']);
      return async () => {
        await strict?.stop();
      };
    });

    it('an expired ticket is refused even with a fresh authenticator', async () => {
      if (strict === undefined) throw new Error('strict server not started');
      // Control: a fresh ticket works on this server.
      const fresh = await serviceTicket(ALICE);
      const ok = await postHttps(httpsUrl(strict), { Authorization: `Kerberos ${buildApReq(fresh).token.toString('base64')}` }, IDENTIFY);
      expect(ok.status).toBe(200);

      const cred = await serviceTicket(ALICE, '3s');
      expect(cred.endTime - cred.authTime).toBeLessThanOrEqual(3);
      const waitMs = cred.endTime * 1000 + 2500 - Date.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      const reply = await postHttps(httpsUrl(strict), { Authorization: `Kerberos ${buildApReq(cred).token.toString('base64')}` }, IDENTIFY);
      expect(reply.status).toBe(401);
      expect(reply.body).not.toMatch(/IdentifyResponse/);
    });
  });
});

describe('refusals', () => {
  it('a ticket for a service not in the server\'s keytab (HTTP/otherhost)', async () => {
    const output = await runGss(ALICE, {
      endpoint: httpsUrl(server),
      scheme: 'Kerberos',
      target: 'HTTP@otherhost',
      steps: [{ op: 'identify' }],
    });
    expect(output.ok).toBe(false);
    expect(output.error?.class).toBe('InvalidCredentialsError');
    expect(output.error?.httpStatus).toBe(401);
    expect(output.results).toHaveLength(0);
  });

  for (const [label, url] of [
    ['HTTPS', (s: RunningServer): string => httpsUrl(s)],
    ['HTTP', (s: RunningServer): string => httpUrl(s)],
  ] as const) {
    it(`a replayed AP-REQ on a second connection (${label})`, async () => {
      const output = await runGss(ALICE, { endpoint: url(server), scheme: 'Kerberos', steps: [] }, ['--replay']);
      expect(output.error).toBeNull();
      const replay = asRecord(output.raw['replay'], 'replay');
      const first = asRecord(replay['first'], 'replay.first');
      const second = asRecord(replay['second'], 'replay.second');
      expect(first['status']).toBe(200);
      expect(first['mutual_token']).toBe(true);
      expect(second['status']).toBe(401);
      expect(second['mutual_token']).toBe(false);
    });
  }

  it('a tampered wrap token: the sealed Command is refused and does not run', async () => {
    const marker = join(tmpdir(), `winrmd-krb-tamper-${randomBytes(6).toString('hex')}`);
    const control = join(tmpdir(), `winrmd-krb-control-${randomBytes(6).toString('hex')}`);
    try {
      // Control: the same request untampered runs.
      const ok = await runGss(ALICE, { endpoint: httpUrl(server), scheme: 'Kerberos', steps: [{ op: 'run', command: `touch ${control}` }] });
      expect(ok.error).toBeNull();
      expect(await exists(control)).toBe(true);

      // Sealed request 1 is Create, 2 is the Command.
      const output = await runGss(
        ALICE,
        { endpoint: httpUrl(server), scheme: 'Kerberos', tamper_request: 2, steps: [{ op: 'run', command: `touch ${marker}` }] },
        ['--tamper'],
      );
      expect(output.ok).toBe(false);
      const tamper = asRecord(output.raw['tamper'], 'tamper');
      expect(tamper['request']).toBe(2);
      // An HTTP error, or the connection dropped (status null); never a 200.
      const status = tamper['status'];
      expect(status === null || (typeof status === 'number' && status >= 400), `tampered Command answered ${String(status)}`).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await exists(marker)).toBe(false);
    } finally {
      await rm(marker, { force: true });
      await rm(control, { force: true });
    }
  });

  it('a principal with no local user', async () => {
    const gss = await runGss(DAVE, { endpoint: httpUrl(server), scheme: 'Kerberos', steps: [{ op: 'run', command: 'echo no' }] });
    expect(gss.ok).toBe(false);
    expect(gss.error?.class).toBe('InvalidCredentialsError');
    expect(gss.results).toHaveLength(0);
    const pywinrm = await runPywinrmKerberos(DAVE, httpsUrl(server), [{ op: 'run', command: 'echo no' }]);
    expect(pywinrm.ok).toBe(false);
    expect(pywinrm.error?.class).toBe('InvalidCredentialsError');
    expect(pywinrm.results).toHaveLength(0);
  });

  it('a user outside Administrators', async () => {
    const gss = await runGss(CAROL, { endpoint: httpUrl(server), scheme: 'Kerberos', steps: [{ op: 'run', command: 'echo no' }] });
    expect(gss.ok).toBe(false);
    expect(gss.error?.class).toBe('InvalidCredentialsError');
    expect(gss.results).toHaveLength(0);
    const pywinrm = await runPywinrmKerberos(CAROL, httpsUrl(server), [{ op: 'run', command: 'echo no' }]);
    expect(pywinrm.ok).toBe(false);
    expect(pywinrm.error?.class).toBe('InvalidCredentialsError');
    expect(pywinrm.results).toHaveLength(0);
  });
});
