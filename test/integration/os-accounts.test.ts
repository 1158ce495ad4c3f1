/**
 * Issue 5, accounts: with winrmd running as root and per-user accounts (the default), each user's
 * commands run as that user's own Linux account, and the kernel keeps users apart. Two throw-away
 * accounts per run: alice's made here with useradd and mapped with --os-user, bob's made by winrmd
 * itself (--create-os-user, winrmd name = Linux name). Needs root; skipped, loudly, without it.
 */
import { chmod, chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectWsmanFault, isAlive } from '../support/expect-helpers.js';
import {
  accountFacts,
  createAccount,
  createGroup,
  IS_ROOT,
  removeAccount,
  removeGroup,
  shadowPassword,
  uniquePrefix,
  type AccountFacts,
} from '../support/linux-accounts.js';
import { runPywinrmSpec, stdoutText, type PywinrmOutput } from '../support/pywinrm-runner.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

if (!IS_ROOT) console.warn('os-accounts.test.ts: not root, so no Linux accounts can be made: these tests are SKIPPED');

const prefix = uniquePrefix();
const ALICE_OS = `${prefix}a`;
const BOB_OS = `${prefix}b`;
const MISSING_OS = `${prefix}x`;
const GROUP = `${prefix}g`;

const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'], osUser: ALICE_OS };
const BOB: TestUser = { name: BOB_OS, password: 'B0b-Pa55word!', groups: ['Administrators'], createOsUser: true };
const GHOST: TestUser = { name: 'ghost', password: 'Gh0st-Pa55word!', groups: ['Administrators'], osUser: MISSING_OS };
// In no winrmd group: carol gets in through the Linux group alone, dave (bob's account) does not.
const CAROL: TestUser = { name: 'carol', password: 'Car0l-Pa55word!', groups: [], osUser: ALICE_OS };
const DAVE: TestUser = { name: 'dave', password: 'Dav3-Pa55word!', groups: [], osUser: BOB_OS };

/** Undefined until beforeAll has started it (and if that failed). */
let server: RunningServer | undefined;
let url: string;
let shared: string;
const facts = new Map<string, AccountFacts>();

function pywinrm(user: TestUser, commands: string[]): Promise<PywinrmOutput> {
  return runPywinrmSpec({ endpoint: url, user: user.name, password: user.password, transport: 'basic', steps: commands.map((command) => ({ op: 'run', command })) });
}

async function runAs(user: TestUser, command: string): Promise<{ stdout: string; stderr: string; status: number }> {
  const output = await pywinrm(user, [command]);
  expect(output.error).toBeNull();
  const [result] = output.results;
  if (result === undefined) throw new Error('no result');
  return { stdout: stdoutText(result), stderr: result.stderr.toString('utf8'), status: result.statusCode };
}

function client(user: TestUser): WsmanClient {
  return new WsmanClient({ url, user: user.name, password: user.password });
}

function factsOf(name: string): AccountFacts {
  const found = facts.get(name);
  if (found === undefined) throw new Error(`no facts for ${name}`);
  return found;
}

describe.skipIf(!IS_ROOT)('shells run as the user’s own Linux account', () => {
  beforeAll(async () => {
    await createAccount(ALICE_OS);
    // A supplementary group, to see that setpriv keeps it, and for Service.AdministratorsGroup.
    await createGroup(GROUP, [ALICE_OS]);
    const started = await startServer({
      users: [ALICE, BOB, GHOST, CAROL, DAVE],
      runAsServiceAccount: false,
      sets: [`Service.AdministratorsGroup=${GROUP}`],
      env: { WRT_LEAK: 'leaked' },
    });
    server = started;
    url = `https://127.0.0.1:${started.httpsPort}/wsman`;
    for (const name of [ALICE_OS, BOB_OS]) facts.set(name, await accountFacts(name));
    shared = await mkdtemp(join(tmpdir(), 'winrmd-accounts-'));
    await chmod(shared, 0o1777);
  });

  afterAll(async () => {
    await server?.stop();
    await rm(shared, { recursive: true, force: true });
    await removeGroup(GROUP);
    for (const name of [ALICE_OS, BOB_OS]) await removeAccount(name);
  });

  it('--create-os-user made a Linux account with a home directory and no password', async () => {
    const bob = factsOf(BOB_OS);
    expect(bob.home).toBe(`/home/${BOB_OS}`);
    expect((await stat(bob.home)).uid).toBe(bob.uid);
    expect(await shadowPassword(BOB_OS)).toMatch(/^[!*]/);
  });

  it.each([
    ['alice (--os-user)', ALICE, ALICE_OS],
    ['bob (--create-os-user)', BOB, BOB_OS],
  ])('%s: id -u, id -G, whoami and $HOME are the account’s', async (_label, user, osUser) => {
    const expected = factsOf(osUser);
    const output = await pywinrm(user, ['id -u', 'id -G', 'whoami', 'echo $HOME', 'pwd', 'echo "$USER $LOGNAME $SHELL ${WRT_LEAK:-clean}"', 'echo $PATH']);
    expect(output.error).toBeNull();
    expect(output.results.map(stdoutText)).toEqual([
      `${expected.uid}\n`,
      `${expected.groups}\n`,
      `${osUser}\n`,
      `${expected.home}\n`,
      `${expected.home}\n`,
      `${osUser} ${osUser} ${expected.shell} clean\n`,
      // Debian's /etc/profile sets the same PATH that login.defs gives.
      '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\n',
    ]);
  });

  it('keeps the supplementary groups (setpriv, not spawn’s uid/gid)', async () => {
    const groupLine = (await runAs(ALICE, `getent group ${GROUP}`)).stdout;
    const gid = groupLine.split(':')[2];
    expect((await runAs(ALICE, 'id -G')).stdout.trim().split(' ')).toContain(gid);
  });

  it('a console command’s terminal is the account’s own (pywinrm asks for a console)', async () => {
    const expected = factsOf(ALICE_OS);
    const output = await runAs(ALICE, '[ -t 0 ] && stat -c %u "$(tty)"');
    expect(output.stdout).toBe(`${expected.uid}\n`);
  });

  it('alice cannot read a 0600 file of bob’s', async () => {
    const file = join(shared, 'bob-secret');
    const written = await runAs(BOB, `umask 077; echo secret > ${file}; stat -c '%U %a' ${file}`);
    expect(written.stdout).toBe(`${BOB_OS} 600\n`);
    expect((await runAs(BOB, `cat ${file}`)).stdout).toBe('secret\n');
    const stolen = await runAs(ALICE, `cat ${file}`);
    expect(stolen.stdout).toBe('');
    expect(stolen.stderr).toMatch(/Permission denied/);
    expect(stolen.status).not.toBe(0);
  });

  it('alice cannot kill bob’s processes', async () => {
    const bob = client(BOB);
    try {
      const shellId = await bob.createShell();
      // Not run(): its closing Signal terminate would end the background sleep with the command.
      const commandId = await bob.runCommand(shellId, 'sleep 60 >/dev/null 2>&1 & echo $!');
      const started = await bob.receiveAll(shellId, commandId);
      const pid = Number(started.stdout.toString().trim());
      expect(isAlive(pid)).toBe(true);
      expect((await readFile(`/proc/${pid}/status`, 'utf8')).match(/^Uid:\s+(\d+)/m)?.[1]).toBe(String(factsOf(BOB_OS).uid));
      const attempt = await runAs(ALICE, `kill ${pid}`);
      expect(attempt.stderr).toMatch(/Operation not permitted/);
      expect(attempt.status).not.toBe(0);
      expect(isAlive(pid)).toBe(true);
      // Bob's own Delete ends it, with everything else in the shell.
      await bob.deleteShell(shellId);
      expect(await eventually(() => !isAlive(pid), 5000)).toBe(true);
    } finally {
      bob.close();
    }
  });

  it('alice cannot Receive from, Signal or Delete bob’s shell', async () => {
    const bob = client(BOB);
    const alice = client(ALICE);
    try {
      const shellId = await bob.createShell();
      const commandId = await bob.runCommand(shellId, 'read line; echo "got $line"');
      // One at a time: started together, a refusal that comes before its turn is an unhandled rejection.
      const attempts = [() => alice.receive(shellId, commandId, 1), () => alice.signal(shellId, commandId, 'terminate'), () => alice.deleteShell(shellId)];
      for (const attempt of attempts) {
        expect((await expectWsmanFault(attempt())).code).toBe(2150858843);
      }
      await bob.send(shellId, commandId, Buffer.from('hello\n'), true);
      expect((await bob.receiveAll(shellId, commandId)).stdout.toString()).toBe('got hello\n');
      await bob.deleteShell(shellId);
    } finally {
      bob.close();
      alice.close();
    }
  });

  it('sources ~/.profile unless WINRS_NOPROFILE is TRUE', async () => {
    const { home, uid, gid } = factsOf(ALICE_OS);
    const profile = join(home, '.profile');
    await writeFile(profile, 'export WRT_PROFILE=loaded\necho "profile noise"\n');
    await chown(profile, uid, gid);
    const alice = client(ALICE);
    try {
      const read = async (options: Parameters<WsmanClient['createShell']>[0]): Promise<string> => {
        const shellId = await alice.createShell(options);
        const result = await alice.run(shellId, 'echo "${WRT_PROFILE:-none}"');
        await alice.deleteShell(shellId);
        return result.stdout.toString();
      };
      expect(await read({ noProfile: false })).toBe('loaded\n');
      expect(await read({ noProfile: true })).toBe('none\n');
      expect(await read({ noProfile: false, env: { WRT_PROFILE: 'request' } })).toBe('request\n');
      // pywinrm sends WINRS_NOPROFILE=FALSE.
      expect((await runAs(ALICE, 'echo "${WRT_PROFILE:-none}"')).stdout).toBe('loaded\n');
    } finally {
      alice.close();
    }
  });

  it('refuses a user mapped to a missing account with Access Denied (5), and logs why', async () => {
    const ghost = client(GHOST);
    try {
      const fault = await expectWsmanFault(ghost.createShell());
      expect(fault.code).toBe(5);
      expect(fault.subcode).toBe('w:AccessDenied');
    } finally {
      ghost.close();
    }
    // The log line travels on another pipe than the reply: give it a moment.
    const refusal = (): string | undefined => server?.logs().find((line) => line.includes('"event":"access-denied"') && line.includes(`"osUser":"${MISSING_OS}"`));
    expect(await eventually(() => refusal() !== undefined)).toBe(true);
    expect(refusal()).toMatch(/no Linux account/);
  });

  it('lets in members of Service.AdministratorsGroup without a winrmd group, and no one else', async () => {
    expect((await runAs(CAROL, 'whoami')).stdout).toBe(`${ALICE_OS}\n`);
    const dave = await pywinrm(DAVE, ['whoami']);
    expect(dave.error?.httpStatus).toBe(401);
  });
});
