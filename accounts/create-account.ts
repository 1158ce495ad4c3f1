/**
 * `winrmd user add --create-os-user`: makes the Linux account a winrmd user maps to, with useradd,
 * as an administrator would by hand.
 */
import { execFile } from 'node:child_process';
import { osAccountNameProblem } from './os-account.js';

export class CreateAccountError extends Error {
  override readonly name = 'CreateAccountError';
}

/**
 * Creates `name` with a home directory (from /etc/skel) and a group of its own, and no password:
 * useradd leaves the password locked, so the account can be used through winrmd (and su from
 * root) but not to log in at a console or over ssh with a password. Needs root.
 */
export function createOsAccount(name: string, comment: string): Promise<void> {
  const problem = osAccountNameProblem(name);
  if (problem !== undefined) return Promise.reject(new CreateAccountError(`cannot create Linux account '${name}': ${problem}`));
  if (process.getuid?.() !== 0) {
    return Promise.reject(new CreateAccountError(`creating the Linux account '${name}' needs root (it runs useradd); run winrmd as root or create the account yourself`));
  }
  const args = ['--create-home', '--user-group', '--comment', comment, '--', name];
  return new Promise((resolve, reject) => {
    execFile('useradd', args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' }, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new CreateAccountError(`useradd ${name} failed: ${stderr.trim() || error.message}`));
    });
  });
}
