/**
 * Issue 5, accounts, when winrmd is not root: it says so at start, runs shells only as its own
 * account, and refuses users mapped to other accounts unless Winrmd.RunAsServiceAccount=true. The
 * server runs as a throw-away account made for the purpose, so the test itself needs root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectWsmanFault } from '../support/expect-helpers.js';
import { accountFacts, createAccount, IS_ROOT, removeAccount, uniquePrefix, type AccountFacts } from '../support/linux-accounts.js';
import { runPywinrmSpec, stdoutText } from '../support/pywinrm-runner.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

if (!IS_ROOT) console.warn('os-accounts-unprivileged.test.ts: not root, so no account can be made to run the server: these tests are SKIPPED');

const prefix = uniquePrefix();
const SERVICE_OS = `${prefix}s`;
const ALICE_OS = `${prefix}a`;

const OPS: TestUser = { name: 'ops', password: 'Op5-Pa55word!', groups: ['Administrators'], osUser: SERVICE_OS };
const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'], osUser: ALICE_OS };

let service: AccountFacts;

async function unprivilegedServer(runAsServiceAccount: boolean): Promise<RunningServer> {
  return startServer({
    users: [OPS, ALICE],
    runAsServiceAccount,
    serverAccount: { uid: service.uid, gid: service.gid },
    // What a service manager would give the account; the test runner's HOME (/root) is not its.
    env: { HOME: service.home, USER: SERVICE_OS, WRT_SERVICE_ENV: 'winrmd' },
  });
}

async function run(server: RunningServer, user: TestUser, command: string): Promise<string> {
  const output = await runPywinrmSpec({
    endpoint: `https://127.0.0.1:${server.httpsPort}/wsman`,
    user: user.name,
    password: user.password,
    transport: 'basic',
    steps: [{ op: 'run', command }],
  });
  expect(output.error).toBeNull();
  return output.results.map(stdoutText).join('');
}

describe.skipIf(!IS_ROOT)('winrmd without root', () => {
  beforeAll(async () => {
    await createAccount(SERVICE_OS);
    await createAccount(ALICE_OS);
    service = await accountFacts(SERVICE_OS);
  });

  afterAll(async () => {
    for (const name of [SERVICE_OS, ALICE_OS]) await removeAccount(name);
  });

  describe('with per-user accounts (the default)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await unprivilegedServer(false);
    });
    afterAll(async () => {
      await server.stop();
    });

    it('warns on stderr and in the log that shells run as its own account', () => {
      const logs = server.logs();
      expect(logs.some((line) => line.startsWith(`[stderr] winrmd: warning: winrmd is not running as root: shells run as its own account ${SERVICE_OS} (uid ${service.uid})`))).toBe(true);
      expect(logs.some((line) => line.includes('"level":40') && line.includes('"mode":"own-account-only"'))).toBe(true);
    });

    it('runs a user mapped to its own account, with a login environment', async () => {
      expect(await run(server, OPS, 'whoami; echo "$HOME ${WRT_SERVICE_ENV:-clean}"')).toBe(`${SERVICE_OS}\n${service.home} clean\n`);
    });

    it('refuses a user mapped to another account with Access Denied (5)', async () => {
      const alice = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ALICE.name, password: ALICE.password });
      try {
        expect((await expectWsmanFault(alice.createShell())).code).toBe(5);
      } finally {
        alice.close();
      }
      // The log line travels on another pipe than the reply: give it a moment.
      const logged = (): boolean => server.logs().some((line) => line.includes('"event":"access-denied"') && line.includes('is not root'));
      expect(await eventually(logged)).toBe(true);
    });
  });

  describe('with Winrmd.RunAsServiceAccount=true', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await unprivilegedServer(true);
    });
    afterAll(async () => {
      await server.stop();
    });

    it("runs everyone's commands as its own account, with its own environment", async () => {
      expect(await run(server, ALICE, 'whoami; echo "${WRT_SERVICE_ENV:-clean}"')).toBe(`${SERVICE_OS}\nwinrmd\n`);
      expect(server.logs().some((line) => line.includes('[stderr] winrmd: warning: Winrmd.RunAsServiceAccount is true'))).toBe(true);
    });
  });
});
