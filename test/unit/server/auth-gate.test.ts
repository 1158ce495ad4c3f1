import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionSecurity } from '../../../server/connection-security.js';
import { AuthGate, type AuthAttempt, type AuthDecision, type AuthGateSettings } from '../../../server/auth-gate.js';
import { LoginThrottle } from '../../../server/login-throttle.js';
import { ADMINISTRATORS, REMOTE_MANAGEMENT_USERS, UserStore } from '../../../users/index.js';

const log = pino({ level: 'silent' });
let dir: string;
let users: UserStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-auth-gate-'));
  users = UserStore.open(dir);
  await users.add('alice', 'alice-pw', [ADMINISTRATORS]);
  await users.add('Rita', 'rita-pw', [REMOTE_MANAGEMENT_USERS]);
  await users.add('mallory', 'mallory-pw', ['Users']);
  await users.add('nobody', 'nobody-pw', []);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OPEN: AuthGateSettings = { basicEnabled: true, negotiateEnabled: false, kerberosEnabled: false, allowUnencrypted: true };

function gate(settings: AuthGateSettings = OPEN, throttle = new LoginThrottle()): AuthGate {
  return new AuthGate(settings, users, throttle, () => undefined, log);
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function attempt(authorization: string | undefined, overrides: Partial<AuthAttempt> = {}): AuthAttempt {
  return { authorization, identifyHeader: undefined, isTls: true, remoteAddress: '192.0.2.10', connection: new ConnectionSecurity(), ...overrides };
}

function expectDeny(decision: AuthDecision, challenges: readonly string[] = ['Basic realm="WSMAN"']): void {
  expect(decision.kind).toBe('deny');
  if (decision.kind === 'deny') expect(decision.wwwAuthenticate).toEqual(challenges);
}

function expectAllow(decision: AuthDecision, name: string, groups: readonly string[]): void {
  expect(decision).toEqual({
    kind: 'allow',
    principal: { name, groups, authScheme: 'Basic' },
    security: undefined,
    replyAuthenticate: undefined,
    isHandshakeLeg: false,
  });
}

describe('AuthGate', () => {
  it('denies a request without credentials with the Basic challenge', async () => {
    expectDeny(await gate().authenticate(attempt(undefined)));
    expectDeny(await gate().authenticate(attempt('   ')));
  });

  it.each(['unauthenticated', 'Unauthenticated', ' UNAUTHENTICATED '])('lets WSMANIDENTIFY: %s through as an anonymous Identify', async (value) => {
    expect(await gate().authenticate(attempt(undefined, { identifyHeader: value }))).toEqual({ kind: 'anonymous-identify' });
  });

  it('does not take any other WSMANIDENTIFY value', async () => {
    expectDeny(await gate().authenticate(attempt(undefined, { identifyHeader: 'yes' })));
  });

  it('authenticates credentials even when WSMANIDENTIFY is also sent', async () => {
    expectAllow(await gate().authenticate(attempt(basic('alice', 'alice-pw'), { identifyHeader: 'unauthenticated' })), 'alice', [ADMINISTRATORS]);
  });

  it('allows an administrator', async () => {
    expectAllow(await gate().authenticate(attempt(basic('alice', 'alice-pw'))), 'alice', [ADMINISTRATORS]);
  });

  it('allows a member of Remote Management Users, under the stored spelling of the name', async () => {
    expectAllow(await gate().authenticate(attempt(basic('rita', 'rita-pw'))), 'Rita', [REMOTE_MANAGEMENT_USERS]);
  });

  it.each(['.\\alice', 'SRV01\\alice', 'alice@SRV01', 'ALICE'])('maps %s to the local account alice', async (name) => {
    expectAllow(await gate().authenticate(attempt(basic(name, 'alice-pw'))), 'alice', [ADMINISTRATORS]);
  });

  it('accepts the scheme name in any case', async () => {
    const header = basic('alice', 'alice-pw').replace('Basic', 'bAsIc');
    expectAllow(await gate().authenticate(attempt(header)), 'alice', [ADMINISTRATORS]);
  });

  it('denies a wrong password', async () => {
    expectDeny(await gate().authenticate(attempt(basic('alice', 'wrong'))));
  });

  it('denies a password that differs only in case', async () => {
    expectDeny(await gate().authenticate(attempt(basic('alice', 'ALICE-PW'))));
  });

  it('denies an unknown user', async () => {
    expectDeny(await gate().authenticate(attempt(basic('zed', 'alice-pw'))));
  });

  it.each(['mallory', 'nobody'])('denies %s, who is in neither Administrators nor Remote Management Users', async (name) => {
    expectDeny(await gate().authenticate(attempt(basic(name, `${name}-pw`))));
  });

  it.each([
    ['no token', 'Basic'],
    ['a token that is not base64', 'Basic %%%'],
    ['a token without a colon', `Basic ${Buffer.from('alice').toString('base64')}`],
  ])('denies malformed Basic credentials: %s', async (_label, header) => {
    expectDeny(await gate().authenticate(attempt(header)));
  });

  it.each(['Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==', 'Kerberos YII=', 'Bearer x', 'Digest x'])(
    'denies a scheme it does not offer (%s)',
    async (header) => {
      expectDeny(await gate().authenticate(attempt(header)));
    },
  );

  it('refuses Basic over HTTP unless AllowUnencrypted', async () => {
    const strict = gate({ basicEnabled: true, negotiateEnabled: false, kerberosEnabled: false, allowUnencrypted: false });
    expectDeny(await strict.authenticate(attempt(basic('alice', 'alice-pw'), { isTls: false })));
    expectAllow(await strict.authenticate(attempt(basic('alice', 'alice-pw'), { isTls: true })), 'alice', [ADMINISTRATORS]);
    expectAllow(await gate(OPEN).authenticate(attempt(basic('alice', 'alice-pw'), { isTls: false })), 'alice', [ADMINISTRATORS]);
  });

  it('denies Basic when it is disabled, offering no challenge', async () => {
    const disabled = gate({ basicEnabled: false, negotiateEnabled: false, kerberosEnabled: false, allowUnencrypted: true });
    expect(disabled.challenges()).toEqual([]);
    expectDeny(await disabled.authenticate(attempt(basic('alice', 'alice-pw'))), []);
    expectDeny(await disabled.authenticate(attempt(undefined)), []);
  });

  it('offers the Basic challenge when Basic is enabled', () => {
    expect(gate().challenges()).toEqual(['Basic realm="WSMAN"']);
  });

  it('counts failures per address and clears them on success', async () => {
    const throttle = new LoginThrottle(0, 1, 1, 60_000);
    const g = gate(OPEN, throttle);
    await g.authenticate(attempt(basic('alice', 'wrong'), { remoteAddress: '198.51.100.1' }));
    expect(throttle.delayFor('198.51.100.1')).toBe(1);
    expect(throttle.delayFor('198.51.100.2')).toBe(0);
    expectAllow(await g.authenticate(attempt(basic('alice', 'alice-pw'), { remoteAddress: '198.51.100.1' })), 'alice', [ADMINISTRATORS]);
    expect(throttle.delayFor('198.51.100.1')).toBe(0);
  });

  it('checks the password again once the user is gone, cache or not', async () => {
    await users.add('temp', 'temp-pw', [ADMINISTRATORS]);
    const g = gate();
    expectAllow(await g.authenticate(attempt(basic('temp', 'temp-pw'))), 'temp', [ADMINISTRATORS]);
    await users.remove('temp');
    expectDeny(await g.authenticate(attempt(basic('temp', 'temp-pw'))));
  });

  it('does not let a cached success outlive a change of password', async () => {
    await users.add('changer', 'old-pw', [ADMINISTRATORS]);
    const g = gate();
    expectAllow(await g.authenticate(attempt(basic('changer', 'old-pw'))), 'changer', [ADMINISTRATORS]);
    await users.remove('changer');
    await users.add('changer', 'new-pw', [ADMINISTRATORS]);
    expectAllow(await g.authenticate(attempt(basic('changer', 'new-pw'))), 'changer', [ADMINISTRATORS]);
    expectDeny(await g.authenticate(attempt(basic('changer', 'old-pw'))));
  });

  it('re-reads the groups of a cached user', async () => {
    await users.add('demoted', 'd-pw', [ADMINISTRATORS]);
    const g = gate();
    expectAllow(await g.authenticate(attempt(basic('demoted', 'd-pw'))), 'demoted', [ADMINISTRATORS]);
    await users.remove('demoted');
    await users.add('demoted', 'd-pw', ['Users']);
    expectDeny(await g.authenticate(attempt(basic('demoted', 'd-pw'))));
  });
});
