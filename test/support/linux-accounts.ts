/**
 * Throw-away Linux accounts and groups for the accounts tests (root only): unique names per run,
 * made with useradd/groupadd and removed with userdel -r/groupdel, and what getent and id say
 * about them, to compare with what the commands report through winrmd.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const IS_ROOT = process.getuid?.() === 0;

const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** Runs a program; resolves its stdout, rejects with its stderr when it exits non-zero. */
export function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { env: ENV, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${file} ${args.join(' ')}: ${stderr.trim() || error.message}`));
    });
  });
}

/** A prefix no other run uses: `wrt` and six hex digits (Linux names stay short and lower-case). */
export function uniquePrefix(): string {
  return `wrt${randomBytes(3).toString('hex')}`;
}

export async function createAccount(name: string): Promise<void> {
  await run('useradd', ['--create-home', '--user-group', '--shell', '/bin/sh', '--', name]);
}

/** Removes the account and its home; a missing one is fine (cleanup after a failed setup). */
export async function removeAccount(name: string): Promise<void> {
  if (!(await exists('passwd', name))) return;
  // -f: the account may still own a process the test's server had not finished killing.
  await run('userdel', ['-r', '-f', '--', name]).catch(() => run('userdel', ['-f', '--', name]));
}

export async function createGroup(name: string, members: readonly string[]): Promise<void> {
  await run('groupadd', ['--', name]);
  for (const member of members) await run('usermod', ['-a', '-G', name, '--', member]);
}

export async function removeGroup(name: string): Promise<void> {
  if (await exists('group', name)) await run('groupdel', ['--', name]);
}

async function exists(database: 'passwd' | 'group', name: string): Promise<boolean> {
  return run('getent', [database, '--', name]).then(
    () => true,
    () => false,
  );
}

export interface AccountFacts {
  readonly uid: number;
  readonly gid: number;
  /** `id -G`, as printed. */
  readonly groups: string;
  readonly home: string;
  readonly shell: string;
}

export async function accountFacts(name: string): Promise<AccountFacts> {
  const [, , uid, gid, , home, shell] = (await run('getent', ['passwd', '--', name])).trim().split(':');
  const groups = (await run('id', ['-G', '--', name])).trim();
  if (uid === undefined || gid === undefined || home === undefined || shell === undefined) throw new Error(`odd passwd entry for ${name}`);
  return { uid: Number(uid), gid: Number(gid), groups, home, shell };
}

/** The password field of /etc/shadow: `!` or `*` first means no password logon. */
export async function shadowPassword(name: string): Promise<string> {
  const line = (await run('getent', ['shadow', '--', name])).trim();
  return line.split(':')[1] ?? '';
}
