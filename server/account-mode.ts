/**
 * The facts about winrmd's own process that decide whose account shells can run under, gathered
 * once at start, and the loud announcement of what that means when it is not one account per user.
 */
import { userInfo } from 'node:os';
import type { Config } from '../config/index.js';
import { systemProgram } from '../shell/index.js';
import type { Logger } from './logger.js';

export interface ProcessFacts {
  /** winrmd's own uid: 0 lets it run commands as any account. */
  readonly uid: number;
  /** winrmd's own account name, for messages and for the service-account mode's logs. */
  readonly userName: string;
  /** util-linux's setpriv, which changes uid, gid and supplementary groups; undefined if missing. */
  readonly setprivPath: string | undefined;
}

export function currentProcessFacts(): ProcessFacts {
  const uid = process.getuid?.() ?? -1;
  return { uid, userName: ownUserName(uid), setprivPath: systemProgram('setpriv') };
}

function ownUserName(uid: number): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (containers started with --user 1234) has no name.
    return String(uid);
  }
}

export type AccountModeName = 'per-user' | 'own-account-only' | 'service-account';

/** What the settings and the process allow: see README, "Accounts". */
export function accountModeOf(runAsServiceAccount: boolean, facts: ProcessFacts): AccountModeName {
  if (runAsServiceAccount) return 'service-account';
  return facts.uid === 0 ? 'per-user' : 'own-account-only';
}

/**
 * Says at start whose account shells run under: a log line, and for anything but one account per
 * user a warning on stderr too, since that is a security property an operator must not miss.
 * Throws when per-user accounts are asked for but setpriv is missing, rather than run everyone as root.
 */
export function announceAccountMode(config: Config, facts: ProcessFacts, log: Logger, stderr: { write(text: string): unknown } = process.stderr): void {
  const mode = accountModeOf(config['Winrmd.RunAsServiceAccount'], facts);
  const self = `${facts.userName} (uid ${facts.uid})`;
  if (mode === 'per-user') {
    if (facts.setprivPath === undefined) {
      throw new Error(`setpriv (util-linux) was not found in /usr/bin, /bin, /usr/sbin or /sbin: shells cannot run as each user's account; install util-linux, or set Winrmd.RunAsServiceAccount=true to run every shell as ${self}`);
    }
    log.info({ event: 'accounts', mode, setpriv: facts.setprivPath }, "shells run as each user's own Linux account");
    return;
  }
  const message =
    mode === 'service-account'
      ? `Winrmd.RunAsServiceAccount is true: every user's shells run as winrmd's own account ${self}, with winrmd's environment`
      : `winrmd is not running as root: shells run as its own account ${self}; users mapped to other Linux accounts are refused (Winrmd.RunAsServiceAccount=true runs everyone's shells as ${facts.userName})`;
  log.warn({ event: 'accounts', mode, account: facts.userName, uid: facts.uid }, message);
  stderr.write(`winrmd: warning: ${message}\n`);
}
