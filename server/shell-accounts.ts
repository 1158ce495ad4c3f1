/**
 * Whose account a user's shell runs under, decided at each Create: the user's own Linux account
 * (users.json's osUser, else the account named like the user) when winrmd is root; only winrmd's
 * own account when it is not; or, with Winrmd.RunAsServiceAccount, winrmd's account for everyone,
 * with winrmd's environment, as before per-user accounts existed.
 */
import { stat } from 'node:fs/promises';
import { loginEnvironment, type OsAccount } from '../accounts/index.js';
import type { Config } from '../config/index.js';
import type { RunAsAccount } from '../shell/index.js';
import { osAccountOf, type UserRecord } from '../users/index.js';
import { accountModeOf, type ProcessFacts } from './account-mode.js';

/** What a shell needs to know about the account it runs as. */
export interface ShellAccount {
  /** The Linux account's name, for the log. */
  readonly osUser: string;
  readonly uid: number;
  /** The environment before the Create request's variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** The working directory when the Create request names none. */
  readonly homeDirectory: string;
  /** Set when the commands must change identity (setpriv); undefined runs them as winrmd. */
  readonly runAs: RunAsAccount | undefined;
  /** Whether WINRS_NOPROFILE=FALSE sources the login profile: only for a login-like account. */
  readonly loginProfile: boolean;
}

export type AccountDecision =
  | { readonly kind: 'allow'; readonly account: ShellAccount }
  | { readonly kind: 'refuse'; readonly osUser: string; readonly reason: string };

export interface ShellAccountsOptions {
  /** The live configuration: Winrmd.RunAsServiceAccount is read at each Create. */
  readonly config: Config;
  readonly facts: ProcessFacts;
  readonly accounts: { account(name: string): Promise<OsAccount | undefined> };
  /** The user store, for osUser; without one every user maps to the account of the same name. */
  readonly users: { find(name: string): Promise<UserRecord | undefined> } | undefined;
  /** What the service-account mode gives every shell. */
  readonly serviceEnvironment: Readonly<Record<string, string>>;
  readonly serviceHome: string;
}

export class ShellAccounts {
  constructor(private readonly options: ShellAccountsOptions) {}

  async forUser(userName: string): Promise<AccountDecision> {
    const { config, facts } = this.options;
    const mode = accountModeOf(config['Winrmd.RunAsServiceAccount'], facts);
    if (mode === 'service-account') return { kind: 'allow', account: this.serviceAccount() };
    const osUser = await this.osUserOf(userName);
    if (osUser === undefined) return refuse(userName, `${userName} is no longer in the user store`);
    let account: OsAccount | undefined;
    try {
      account = await this.options.accounts.account(osUser);
    } catch (error) {
      // Fail closed: an account that cannot be looked up (NSS down, a timeout) runs nothing.
      return refuse(osUser, `looking up the Linux account ${osUser} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (account === undefined) return refuse(osUser, `there is no Linux account ${osUser}`);
    let runAs: RunAsAccount | undefined;
    if (mode === 'own-account-only') {
      if (account.uid !== facts.uid) {
        return refuse(osUser, `winrmd is not root, so it runs shells only as its own account ${facts.userName}, not as ${osUser} (see Winrmd.RunAsServiceAccount)`);
      }
    } else {
      if (facts.setprivPath === undefined) return refuse(osUser, 'setpriv (util-linux) is missing');
      runAs = { uid: account.uid, gid: account.gid, groupIds: account.groupIds, setprivPath: facts.setprivPath };
    }
    // login(1) logs in with HOME=/ as its directory when the home directory is missing.
    const homeDirectory = (await isDirectory(account.home)) ? account.home : '/';
    return {
      kind: 'allow',
      account: { osUser: account.name, uid: account.uid, environment: loginEnvironment(account), homeDirectory, runAs, loginProfile: true },
    };
  }

  private async osUserOf(userName: string): Promise<string | undefined> {
    const { users } = this.options;
    if (users === undefined) return userName;
    const user = await users.find(userName);
    return user === undefined ? undefined : osAccountOf(user);
  }

  private serviceAccount(): ShellAccount {
    const { facts, serviceEnvironment, serviceHome } = this.options;
    return { osUser: facts.userName, uid: facts.uid, environment: serviceEnvironment, homeDirectory: serviceHome, runAs: undefined, loginProfile: false };
  }
}

function refuse(osUser: string, reason: string): AccountDecision {
  return { kind: 'refuse', osUser, reason };
}

async function isDirectory(path: string): Promise<boolean> {
  return path.startsWith('/') && (await stat(path).then((s) => s.isDirectory(), () => false));
}
