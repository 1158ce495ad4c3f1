/** What the authentication gate reports to its observer: the signals the logon events are made from. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceSignal } from '../../../events/signals.js';
import { AuthGate, type AuthAttempt } from '../../../server/auth-gate.js';
import { failureOf, splitAccount } from '../../../server/auth-signals.js';
import { ConnectionSecurity } from '../../../server/connection-security.js';
import { LoginThrottle } from '../../../server/login-throttle.js';
import { ADMINISTRATORS, UserStore } from '../../../users/index.js';

let dir: string;
let users: UserStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-gate-signals-'));
  users = UserStore.open(dir);
  await users.add('alice', 'alice-pw', [ADMINISTRATORS]);
  await users.add('nobody', 'nobody-pw', []);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function signalsOf(user: string, password: string): Promise<ServiceSignal[]> {
  const signals: ServiceSignal[] = [];
  const gate = new AuthGate(
    { basicEnabled: true, negotiateEnabled: false, kerberosEnabled: false, allowUnencrypted: true },
    users,
    new LoginThrottle(),
    () => undefined,
    pino({ level: 'silent' }),
    { notify: (signal) => void signals.push(signal) },
  );
  const attempt: AuthAttempt = {
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    identifyHeader: undefined,
    isTls: true,
    remoteAddress: '192.0.2.10',
    remotePort: 50001,
    connectionId: 'conn-1',
    connection: new ConnectionSecurity(),
  };
  await gate.authenticate(attempt);
  return signals;
}

const peer = { connectionId: 'conn-1', remoteAddress: '192.0.2.10', remotePort: 50001 };

describe('the gate\'s signals', () => {
  it('a good password: logon-succeeded, with the account as stored', async () => {
    const [signal] = await signalsOf('ALICE', 'alice-pw');
    expect(signal).toMatchObject({ kind: 'logon-succeeded', peer, user: 'alice', scheme: 'Basic', mechanism: 'Basic' });
  });

  it('a wrong password and an unknown account are told apart, for 4625\'s SubStatus', async () => {
    expect(await signalsOf('alice', 'wrong')).toEqual([
      expect.objectContaining({ kind: 'logon-failed', peer, user: 'alice', failure: 'wrong-password', scheme: 'Basic' }),
    ]);
    expect(await signalsOf('HOST\\ghost', 'x')).toEqual([expect.objectContaining({ kind: 'logon-failed', user: 'ghost', failure: 'unknown-user' })]);
  });

  it('an account without the group: access-denied, and no logon-succeeded', async () => {
    expect(await signalsOf('nobody', 'nobody-pw')).toEqual([expect.objectContaining({ kind: 'access-denied', peer, user: 'nobody', mechanism: 'Basic' })]);
  });
});

describe('failure reasons', () => {
  it.each([
    ['unknown user', 'unknown-user'],
    ['NTLM: wrong password (NTProofStr does not verify)', 'wrong-password'],
    ['account vanished', 'unknown-user'],
    ['authenticator time is outside the allowed clock skew', 'clock-skew'],
    ['MIC does not verify', 'refused'],
    ['NTLMv1 response refused; NTLMv2 is required', 'refused'],
  ])('%s is %s', (reason, failure) => {
    expect(failureOf(reason)).toBe(failure);
  });

  it('splits DOMAIN\\user as NTLM names the client', () => {
    expect(splitAccount('WORKGROUP\\bob')).toEqual({ user: 'bob', domain: 'WORKGROUP' });
    expect(splitAccount('bob')).toEqual({ user: 'bob', domain: '' });
  });
});
