import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_PATH, type OsAccount } from '../../../accounts/index.js';
import { loadConfig, type Config } from '../../../config/index.js';
import type { ProcessFacts } from '../../../server/account-mode.js';
import { ShellAccounts, type AccountDecision } from '../../../server/shell-accounts.js';
import type { UserRecord } from '../../../users/index.js';

let home: string;
let config: Config;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'winrmd-home-'));
  config = await loadConfig({});
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const ROOT: ProcessFacts = { uid: 0, userName: 'root', setprivPath: '/usr/bin/setpriv' };
const SERVICE: ProcessFacts = { uid: 998, userName: 'winrmd', setprivPath: '/usr/bin/setpriv' };

function account(name: string, uid: number, accountHome: string): OsAccount {
  return { name, uid, gid: uid, groupIds: [uid, 27], home: accountHome, shell: '/bin/bash' };
}

function accounts(facts: ProcessFacts, users: UserRecord[] | undefined, overrides: Partial<Config> = {}, failLookups = false): ShellAccounts {
  const table: Record<string, OsAccount> = {
    alice: account('alice', 1001, home),
    labalice: account('labalice', 1002, home),
    winrmd: account('winrmd', 998, '/nonexistent/home'),
  };
  return new ShellAccounts({
    config: { ...config, ...overrides },
    facts,
    accounts: { account: (name) => (failLookups ? Promise.reject(new Error('getent timed out')) : Promise.resolve(table[name])) },
    users: users === undefined ? undefined : { find: (name) => Promise.resolve(users.find((u) => u.name.toLowerCase() === name.toLowerCase())) },
    serviceEnvironment: { PATH: '/service/bin', WINRMD_LIKE: 'service' },
    serviceHome: '/var/lib/winrmd',
  });
}

function allowed(decision: AccountDecision): Extract<AccountDecision, { kind: 'allow' }>['account'] {
  if (decision.kind !== 'allow') throw new Error(`refused: ${decision.reason}`);
  return decision.account;
}

function refusal(decision: AccountDecision): string {
  if (decision.kind !== 'refuse') throw new Error('allowed');
  return decision.reason;
}

describe('ShellAccounts as root', () => {
  it("runs a user as the Linux account of the same name, with a login's environment and home", async () => {
    const alice = allowed(await accounts(ROOT, [{ name: 'alice', groups: [] }]).forUser('ALICE'));
    expect(alice).toEqual({
      osUser: 'alice',
      uid: 1001,
      environment: { HOME: home, USER: 'alice', LOGNAME: 'alice', SHELL: '/bin/bash', PATH: LOGIN_PATH },
      homeDirectory: home,
      runAs: { uid: 1001, gid: 1001, groupIds: [1001, 27], setprivPath: '/usr/bin/setpriv' },
      loginProfile: true,
    });
  });

  it("follows the store's osUser", async () => {
    const decision = await accounts(ROOT, [{ name: 'alice', groups: [], osUser: 'labalice' }]).forUser('alice');
    expect(allowed(decision)).toMatchObject({ osUser: 'labalice', uid: 1002 });
  });

  it('refuses a user mapped to a missing account, one gone from the store, and a failed lookup', async () => {
    expect(refusal(await accounts(ROOT, [{ name: 'carol', groups: [] }]).forUser('carol'))).toMatch(/no Linux account carol/);
    expect(refusal(await accounts(ROOT, []).forUser('alice'))).toMatch(/no longer in the user store/);
    expect(refusal(await accounts(ROOT, undefined, {}, true).forUser('alice'))).toMatch(/failed: getent timed out/);
    expect(refusal(await accounts({ ...ROOT, setprivPath: undefined }, undefined).forUser('alice'))).toMatch(/setpriv/);
  });

  it('starts in / when the home directory is missing, as login does', async () => {
    expect(allowed(await accounts({ ...ROOT }, undefined).forUser('winrmd')).homeDirectory).toBe('/');
  });
});

describe('ShellAccounts without root', () => {
  it("runs only users mapped to winrmd's own account, without changing identity", async () => {
    const own = allowed(await accounts(SERVICE, [{ name: 'ops', groups: [], osUser: 'winrmd' }]).forUser('ops'));
    expect(own).toMatchObject({ osUser: 'winrmd', uid: 998, runAs: undefined, loginProfile: true });
    expect(own.environment['USER']).toBe('winrmd');
    const other = refusal(await accounts(SERVICE, undefined).forUser('alice'));
    expect(other).toMatch(/not root.*Winrmd.RunAsServiceAccount/);
  });
});

describe('ShellAccounts with Winrmd.RunAsServiceAccount', () => {
  it.each([
    ['as root', ROOT],
    ['without root', SERVICE],
  ])("runs everyone as winrmd's account with winrmd's environment (%s), looking nothing up", async (_label, facts) => {
    const decision = await accounts(facts, undefined, { 'Winrmd.RunAsServiceAccount': true }, true).forUser('nobody-at-all');
    expect(allowed(decision)).toEqual({
      osUser: facts.userName,
      uid: facts.uid,
      environment: { PATH: '/service/bin', WINRMD_LIKE: 'service' },
      homeDirectory: '/var/lib/winrmd',
      runAs: undefined,
      loginProfile: false,
    });
  });
});
