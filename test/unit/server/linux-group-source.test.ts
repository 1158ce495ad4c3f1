import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupLookup, OsAccount } from '../../../accounts/index.js';
import { loadConfig } from '../../../config/index.js';
import { AuthGate } from '../../../server/auth-gate.js';
import { ConnectionSecurity } from '../../../server/connection-security.js';
import { linuxGroupSource } from '../../../server/linux-group-source.js';
import { LoginThrottle } from '../../../server/login-throttle.js';
import { UserStore } from '../../../users/index.js';

const log = pino({ level: 'silent' });
const ALICE: OsAccount = { name: 'alice', uid: 1001, gid: 1001, groupIds: [1001, 27], home: '/home/alice', shell: '/bin/sh' };
const lookup: GroupLookup = {
  account: (name) => Promise.resolve(name === 'alice' ? ALICE : undefined),
  groupId: (name) => Promise.resolve(name === 'sudo' ? 27 : undefined),
};
const failing: GroupLookup = { account: () => Promise.reject(new Error('NSS is down')), groupId: () => Promise.resolve(27) };

let dir: string;
let users: UserStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-linux-groups-'));
  users = UserStore.open(dir);
  // In no group of the store: only the Linux group can let alice in.
  await users.add('alice', 'alice-pw', []);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function logOn(sets: string[], groupLookup: GroupLookup = lookup): Promise<string> {
  const config = await loadConfig({ sets });
  const gate = new AuthGate(
    { basicEnabled: true, negotiateEnabled: false, kerberosEnabled: false, allowUnencrypted: true },
    users,
    new LoginThrottle(),
    () => undefined,
    log,
    undefined,
    linuxGroupSource(config, groupLookup, log),
  );
  const decision = await gate.authenticate({
    authorization: basic('alice', 'alice-pw'),
    identifyHeader: undefined,
    isTls: true,
    remoteAddress: '192.0.2.1',
    connection: new ConnectionSecurity(),
  });
  return decision.kind === 'allow' ? `allow ${decision.principal.groups.join(',')}` : decision.kind;
}

describe('Service.AdministratorsGroup and Service.RemoteManagementUsersGroup', () => {
  it('let in a member of the named Linux group', async () => {
    expect(await logOn(['Service.AdministratorsGroup=sudo'])).toBe('allow Administrators');
    expect(await logOn(['Service.RemoteManagementUsersGroup=sudo'])).toBe('allow Remote Management Users');
  });

  it('let in nobody when unset, when the user is not a member, or when the lookup fails', async () => {
    expect(await logOn([])).toBe('deny');
    expect(await logOn(['Service.AdministratorsGroup=wheel'])).toBe('deny');
    expect(await logOn(['Service.AdministratorsGroup=sudo'], failing)).toBe('deny');
  });
});
