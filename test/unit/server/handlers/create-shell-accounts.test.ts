/**
 * Create with per-user accounts, through the dispatcher. The process facts are faked as a non-root
 * winrmd (uid 4242) whose own account is `self`, so that no identity change is needed and the
 * tests run as any user: `self` gets a login environment and profile, `other` is refused.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OsAccount } from '../../../../accounts/index.js';
import type { Principal } from '../../../../server/principal.js';
import { inProcessHost } from '../../../../host/spawn-host.js';
import { createServiceState } from '../../../../server/service-state.js';
import { client, defaultConfig, expectCatalogueFault, log, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

const SELF: Principal = { name: 'self', groups: ['Administrators'], authScheme: 'Basic' };
const OTHER: Principal = { name: 'other', groups: ['Administrators'], authScheme: 'Basic' };
const GHOST: Principal = { name: 'ghost', groups: ['Administrators'], authScheme: 'Basic' };

let home: string;
let c: Client;

beforeAll(async () => {
  home = await realpath(await mkdtemp(join(tmpdir(), 'winrmd-self-')));
  await writeFile(join(home, '.profile'), 'export FROM_PROFILE=loaded\nexport CHOSEN=profile\necho noise\n');
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

afterEach(async () => {
  await c.service.shells.closeAll();
});

async function service(): Promise<Client> {
  const accounts: Record<string, OsAccount> = {
    self: { name: 'self', uid: 4242, gid: 4242, groupIds: [4242], home, shell: '/bin/sh' },
    other: { name: 'other', uid: 4343, gid: 4343, groupIds: [4343], home: '/', shell: '/bin/sh' },
  };
  return client(
    createServiceState(await defaultConfig(), log, {
      hostLauncher: inProcessHost,
      baseEnvironment: { PATH: '/usr/bin:/bin', SERVICE_ONLY: 'leaked' },
      processFacts: { uid: 4242, userName: 'self', setprivPath: undefined },
      accountLookup: { account: (name) => Promise.resolve(accounts[name]) },
    }),
  );
}

async function run(shellOptions: env.ShellOptions, commandLine: string, principal = SELF): Promise<string> {
  const shellId = await c.createShell(principal, shellOptions);
  const commandId = await c.runCommand(shellId, commandLine, principal);
  return (await c.receiveAll(shellId, commandId, principal)).stdout;
}

describe('Create with per-user accounts', () => {
  it("gives the account's login environment, not winrmd's, and its home as the working directory", async () => {
    c = await service();
    const out = await run({ noProfile: true }, 'echo "$USER|$LOGNAME|$HOME|$SHELL|${SERVICE_ONLY:-clean}"; pwd');
    expect(out).toBe(`self|self|${home}|/bin/sh|clean\n${home}\n`);
  });

  it('sources ~/.profile unless WINRS_NOPROFILE is TRUE; the request environment wins over it', async () => {
    c = await service();
    expect(await run({}, 'echo "${FROM_PROFILE:-none}"')).toBe('loaded\n');
    expect(await run({ noProfile: true }, 'echo "${FROM_PROFILE:-none}"')).toBe('none\n');
    expect(await run({ environment: { CHOSEN: 'request' } }, 'echo "$CHOSEN"')).toBe('request\n');
  });

  it('refuses a user mapped to another account than winrmd runs as, and one with no account, with Access Denied (5)', async () => {
    c = await service();
    for (const principal of [OTHER, GHOST]) {
      const fault = await c.fault(env.create({ workingDirectory: '/nonexistent' }), principal);
      expectCatalogueFault(fault, 'accessDenied');
      expect(fault.wsmanCode).toBe(5);
    }
    expect(c.service.shells.size).toBe(0);
  });
});
