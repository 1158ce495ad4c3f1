/**
 * The Kerberos test harness itself, against real MIT programs and independent of winrmd: a
 * throw-away KDC (test/support/kdc.ts), credential caches (krb5-ccache.ts) and hand-built AP-REQs
 * (krb5-apreq.ts), the latter checked against MIT's own acceptor (python3-gssapi).
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcCommandError, locateKrb5Binaries, startKdc, type RunningKdc } from '../support/kdc.js';
import { buildApReq, kerberosTimeText, readApRep } from '../support/krb5-apreq.js';
import { findCredential, principalText, readCcache } from '../support/krb5-ccache.js';
import { asRecord, runPythonJson } from '../support/python-client.js';
import { canConnect } from '../support/port-probe.js';

const ALICE = { name: 'alice', password: 'Alice-Krb5 pa55!' };
const BOB = { name: 'bob', password: 'B0b-krb5' };

let kdc: RunningKdc;

beforeAll(async () => {
  kdc = await startKdc({ users: [ALICE, BOB], services: ['HTTP/localhost'] });
});

afterAll(async () => {
  await kdc.stop();
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface AcceptorResult {
  ok: boolean;
  initiator: string | null;
  token: Buffer | undefined;
  error: string;
}

/** MIT's gss_accept_sec_context with the service keytab; `extraConf` is a krb5.conf overlay. */
async function mitAccept(token: Buffer, libdefaults?: Record<string, string>): Promise<AcceptorResult> {
  const config = libdefaults === undefined ? kdc.krb5Conf : await kdc.configWith(libdefaults);
  const out = await runPythonJson('gssapi_acceptor.py', token.toString('base64'), {
    KRB5_CONFIG: config,
    KRB5_KTNAME: `FILE:${kdc.keytab}`,
    KRB5RCACHEDIR: kdc.dir,
  });
  const tokenB64 = out['token_b64'];
  const initiator = out['initiator'];
  const error = out['error'];
  return {
    ok: out['ok'] === true,
    initiator: typeof initiator === 'string' ? initiator : null,
    token: typeof tokenB64 === 'string' ? Buffer.from(tokenB64, 'base64') : undefined,
    error: typeof error === 'string' ? error : '',
  };
}

describe('startKdc', () => {
  it('writes a krb5.conf for the realm that points at the loopback KDC', async () => {
    const conf = await readFile(kdc.krb5Conf, 'utf8');
    expect(conf).toContain(`default_realm = ${kdc.realm}`);
    expect(conf).toContain(`kdc = 127.0.0.1:${kdc.port}`);
    expect(conf).toMatch(/dns_lookup_kdc = false/);
    expect(conf).toMatch(/dns_canonicalize_hostname = false/);
    expect(conf).toMatch(/rdns = false/);
    expect(conf).toMatch(/permitted_enctypes = .*aes256-cts-hmac-sha1-96.*aes128-cts-hmac-sha1-96/);
    expect(kdc.env('FILE:/x')).toEqual({ KRB5_CONFIG: kdc.krb5Conf, KRB5_KDC_PROFILE: kdc.kdcConf, KRB5CCNAME: 'FILE:/x' });
  });

  it('kinit with the right password gets a TGT that klist shows', async () => {
    const ccache = await kdc.kinit(ALICE.name, ALICE.password);
    const list = await kdc.run('klist', ['-c', ccache]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`Default principal: alice@${kdc.realm}`);
    expect(list.stdout).toContain(`krbtgt/${kdc.realm}@${kdc.realm}`);
  });

  it('kinit with a wrong password fails', async () => {
    const attempt = kdc.kinit(ALICE.name, 'not-the-password');
    await expect(attempt).rejects.toBeInstanceOf(KdcCommandError);
    await expect(attempt).rejects.toThrow(/Password incorrect|Preauthentication failed/i);
  });

  it('kinit for an unknown principal fails', async () => {
    await expect(kdc.kinit('mallory', 'whatever')).rejects.toThrow(/not found in Kerberos database/i);
  });

  it('kvno HTTP/localhost gets a service ticket', async () => {
    const ccache = await kdc.kinit(BOB.name, BOB.password);
    const kvno = await kdc.run('kvno', ['HTTP/localhost'], { ccache });
    expect(kvno.stderr).toBe('');
    expect(kvno.code).toBe(0);
    expect(kvno.stdout).toMatch(new RegExp(`HTTP/localhost@${kdc.realm.replace(/\./g, '\\.')}: kvno = \\d+`));
    const list = await kdc.run('klist', ['-c', ccache]);
    expect(list.stdout).toContain(`HTTP/localhost@${kdc.realm}`);

    // The same cache, read by the test's own parser: a TGT and the service ticket, AES-256 session key.
    const cache = await readCcache(ccache);
    expect(principalText(cache.defaultPrincipal)).toBe(`bob@${kdc.realm}`);
    const service = findCredential(cache, 'HTTP/localhost');
    expect(service?.keyType).toBe(18);
    expect(service?.key).toHaveLength(32);
    expect(service?.ticket[0]).toBe(0x61); // [APPLICATION 1] Ticket
    expect(findCredential(cache, `krbtgt/${kdc.realm}`)).toBeDefined();
  });

  it('kvno for a service the KDC does not know fails', async () => {
    const ccache = await kdc.kinit(BOB.name, BOB.password);
    const kvno = await kdc.run('kvno', ['HTTP/nowhere'], { ccache });
    expect(kvno.code).not.toBe(0);
    expect(kvno.stderr).toMatch(/not found in Kerberos database/i);
  });

  it('exports HTTP/localhost keys to the keytab', async () => {
    expect(kdc.services).toEqual([`HTTP/localhost@${kdc.realm}`]);
    const list = await kdc.run('klist', ['-k', '-e', kdc.keytab]);
    expect(list.code).toBe(0);
    const entries = list.stdout.split('\n').filter((l) => l.includes(`HTTP/localhost@${kdc.realm}`));
    expect(entries.some((l) => l.includes('aes256-cts-hmac-sha1-96'))).toBe(true);
    expect(entries.some((l) => l.includes('aes128-cts-hmac-sha1-96'))).toBe(true);
  });

  it('refuses enctype names kadmin would silently ignore', async () => {
    await expect(kdc.addPrincipal('typo', { enctypes: ['aes257-cts:normal'] })).rejects.toThrow(/unknown enctype/);
  });

  it('reports a failing kadmin query', async () => {
    await expect(kdc.addPrincipal(ALICE.name, { password: 'again' })).rejects.toThrow(/already exists/);
  });
});

describe('keytabs with several kvnos and enctypes', () => {
  it('keeps successive key versions, the newest matching the tickets', async () => {
    await kdc.addPrincipal('HTTP/multi');
    const path = await kdc.exportKeytab(['HTTP/multi'], {
      path: join(kdc.dir, 'multi.keytab'),
      kvnos: 3,
      enctypes: ['aes256-cts-hmac-sha1-96:normal', 'aes256-cts-hmac-sha384-192:normal', 'rc4-hmac:normal'],
    });
    const list = await kdc.run('klist', ['-k', '-e', path]);
    const kvnos = new Set(
      list.stdout
        .split('\n')
        .filter((l) => l.includes('HTTP/multi@'))
        .map((l) => Number.parseInt(l.trim().split(/\s+/)[0] ?? '', 10)),
    );
    expect([...kvnos].sort((a, b) => a - b)).toEqual([2, 3, 4]);
    expect(list.stdout).toContain('aes256-cts-hmac-sha384-192');
    expect(list.stdout).toMatch(/arcfour-hmac/);

    const ccache = await kdc.kinit(ALICE.name, ALICE.password);
    const kvno = await kdc.run('kvno', ['HTTP/multi'], { ccache });
    expect(kvno.stdout).toMatch(/kvno = 4/);
  });

  it('kinit can ask for other session key types', async () => {
    await kdc.addPrincipal('HTTP/sha2', { enctypes: ['aes256-cts-hmac-sha384-192:normal'] });
    const enctypes = ['aes256-cts-hmac-sha384-192', 'aes256-cts-hmac-sha1-96'];
    const ccache = await kdc.kinit(ALICE.name, ALICE.password, { enctypes });
    const config = await kdc.configWith({ default_tgs_enctypes: enctypes.join(' ') });
    const kvno = await kdc.run('kvno', ['HTTP/sha2'], { ccache, env: { KRB5_CONFIG: config } });
    expect(kvno.code).toBe(0);
    const service = findCredential(await readCcache(ccache), 'HTTP/sha2');
    expect(service?.keyType).toBe(20); // aes256-cts-hmac-sha384-192
  });
});

describe('an RC4 realm', () => {
  it('issues rc4-hmac session keys with allowRc4 when the service asks for them', async () => {
    const rc4Kdc = await startKdc({
      realm: 'RC4.TEST',
      users: [ALICE],
      services: ['HTTP/localhost'],
      supportedEnctypes: ['aes256-cts-hmac-sha1-96:normal', 'rc4-hmac:normal'],
      allowRc4: true,
    });
    try {
      await rc4Kdc.addPrincipal('HTTP/rc4', { enctypes: ['rc4-hmac:normal'], sessionEnctypes: ['rc4-hmac'] });
      const ccache = await rc4Kdc.kinit(ALICE.name, ALICE.password);
      const kvno = await rc4Kdc.run('kvno', ['HTTP/rc4'], { ccache });
      expect(kvno.stderr).toBe('');
      expect(kvno.code).toBe(0);
      expect(findCredential(await readCcache(ccache), 'HTTP/rc4')?.keyType).toBe(23); // rc4-hmac
      const keytab = await rc4Kdc.run('klist', ['-k', '-e', rc4Kdc.keytab]);
      expect(keytab.stdout).toMatch(/arcfour-hmac/);
    } finally {
      await rc4Kdc.stop();
    }
  });
});

describe('hand-built AP-REQs against MIT\'s acceptor', () => {
  it('a fresh authenticator over a valid ticket is accepted and the AP-REP decrypts', async () => {
    const ccache = await kdc.kinit(ALICE.name, ALICE.password);
    expect((await kdc.run('kvno', ['HTTP/localhost'], { ccache })).code).toBe(0);
    const cred = findCredential(await readCcache(ccache), 'HTTP/localhost');
    if (cred === undefined) throw new Error('no service ticket');
    const built = buildApReq(cred);
    const accepted = await mitAccept(built.token);
    expect(accepted.error).toBe('');
    expect(accepted.ok).toBe(true);
    expect(accepted.initiator).toBe(`alice@${kdc.realm}`);
    if (accepted.token === undefined) throw new Error('no AP-REP');
    const apRep = readApRep(accepted.token, cred);
    expect(apRep.ctime).toBe(kerberosTimeText(built.ctime));
    expect(apRep.cusec).toBe(built.cusec);
    expect(apRep.subkeyType).toBe(18);
  });

  it('a tampered authenticator is refused', async () => {
    const ccache = await kdc.kinit(ALICE.name, ALICE.password);
    await kdc.run('kvno', ['HTTP/localhost'], { ccache });
    const cred = findCredential(await readCcache(ccache), 'HTTP/localhost');
    if (cred === undefined) throw new Error('no service ticket');
    const token = Buffer.from(buildApReq(cred).token);
    const last = token.length - 20; // inside the authenticator's ciphertext
    token[last] = (token[last] ?? 0) ^ 0x01;
    const refused = await mitAccept(token);
    expect(refused.ok).toBe(false);
  });

  it('an authenticator an hour old is refused for clock skew', async () => {
    const ccache = await kdc.kinit(ALICE.name, ALICE.password);
    await kdc.run('kvno', ['HTTP/localhost'], { ccache });
    const cred = findCredential(await readCcache(ccache), 'HTTP/localhost');
    if (cred === undefined) throw new Error('no service ticket');
    const refused = await mitAccept(buildApReq(cred, { ctime: new Date(Date.now() - 3_600_000) }).token);
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/skew/i);
  });

  it('a fresh authenticator over an expired ticket is refused as expired', async () => {
    const ccache = await kdc.kinit(ALICE.name, ALICE.password, { lifetime: '3s' });
    const kvno = await kdc.run('kvno', ['HTTP/localhost'], { ccache });
    expect(kvno.code).toBe(0);
    const cred = findCredential(await readCcache(ccache), 'HTTP/localhost');
    if (cred === undefined) throw new Error('no service ticket');
    // A short-lived ticket: kinit asks for an end time in whole seconds of its own clock, the KDC
    // stamps the auth time by its own, so the two can land one second further apart than asked.
    expect(cred.endTime - cred.authTime).toBeLessThanOrEqual(4);
    // A 1-second acceptor skew, then wait until the ticket is past its end time plus that skew.
    const waitMs = cred.endTime * 1000 + 2500 - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    const refused = await mitAccept(buildApReq(cred).token, { clockskew: '1' });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/expired/i);
  });
});

describe('the gssapi WinRM client against MIT\'s acceptor (no server)', () => {
  for (const [scheme, mech] of [
    ['Kerberos', 'krb5'],
    ['Negotiate', 'krb5'],
    ['Negotiate', 'spnego'],
  ] as const) {
    it(`seals and opens WinRM messages both ways (${scheme} ${mech})`, async () => {
      const ccache = await kdc.kinit(ALICE.name, ALICE.password);
      const out = await runPythonJson(
        'gssapi_winrm_client.py',
        { endpoint: 'http://127.0.0.1:9/wsman', scheme, mech, target: 'HTTP@localhost', steps: [] },
        { ...kdc.env(ccache), KRB5_KTNAME: `FILE:${kdc.keytab}`, KRB5RCACHEDIR: kdc.dir },
        ['--selftest'],
      );
      expect(out['error']).toBeNull();
      expect(out['ok']).toBe(true);
      const checks = asRecord(out['selftest'], 'selftest');
      expect(checks['tamper_refused']).toBe(true);
      for (const size of ['1', '15', '16', '17', '1000', '70000']) {
        const c = asRecord(checks[size], `selftest ${size}`);
        expect(c['request_ok']).toBe(true);
        expect(c['reply_ok']).toBe(true);
        // AES: the WinRM header part is 16 (token header) + 28 (rotated trailer) + 16 (confounder).
        expect(c['header_len']).toBe(60);
        expect(c['sealed_len']).toBe(Number(size));
        expect(c['padding']).toBe(0);
      }
      expect(asRecord(out['auth'], 'auth')['initiator']).toBe(`alice@${kdc.realm}`);
    });
  }
});

describe('stop', () => {
  it('kills the KDC and removes the directory', async () => {
    const other = await startKdc({ realm: 'STOP.TEST', users: [], services: [] });
    const port = other.port;
    await access(other.krb5Conf);
    await other.stop();
    await expect(access(other.dir)).rejects.toThrow();
    const connected = await canConnect(port);
    expect(connected).toBe(false);
  });

  it('names the Debian packages when the MIT programs are missing', async () => {
    const attempt = locateKrb5Binaries([join(kdc.dir, 'no-such-bin')]);
    await expect(attempt).rejects.toThrow(/krb5-kdc/);
    await expect(attempt).rejects.toThrow(/krb5-admin-server/);
    await expect(attempt).rejects.toThrow(/krb5-user/);
    const found = await locateKrb5Binaries();
    expect(found.get('krb5kdc')).toMatch(/\/krb5kdc$/);
  });

  it('rejects a realm name krb5.conf cannot carry', async () => {
    await expect(startKdc({ realm: 'bad realm', users: [], services: [] })).rejects.toThrow(/unsupported realm/);
  });
});
