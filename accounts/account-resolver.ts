/**
 * Looks Linux accounts and groups up the way the rest of the system does: through NSS, with
 * `getent` and `id`, so that accounts from LDAP, SSSD or winbind work as well as /etc/passwd ones.
 * Answers are cached briefly: a Basic client authenticates on every request, and a Create should
 * not cost two process starts each time, yet a change made with usermod shows within seconds.
 */
import { execFile } from 'node:child_process';
import { firstEntry, parseGroupLine, parseIdGroups, parsePasswdLine } from './getent-output.js';
import { isValidOsAccountName, type OsAccount } from './os-account.js';

export interface LookupResult {
  /** The program's exit status. */
  readonly code: number;
  readonly stdout: string;
}

/** Runs one lookup program; tests pass their own. Rejects only when the program could not run. */
export type LookupRunner = (file: string, args: readonly string[]) => Promise<LookupResult>;

/** A lookup that could not be answered (getent missing, timed out, odd output): not "no such account". */
export class AccountLookupError extends Error {
  override readonly name = 'AccountLookupError';
}

/** How long an answer is reused, found or not found. */
export const ACCOUNT_CACHE_MS = 5_000;
const MAX_CACHED = 1_000;
const LOOKUP_TIMEOUT_MS = 10_000;

/** getent's exit status for "no such key". */
const GETENT_NOT_FOUND = 2;

/** Runs getent or id with a fixed PATH and the C locale, so that their output is always the same shape. */
export function runLookup(file: string, args: readonly string[]): Promise<LookupResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { encoding: 'utf8', timeout: LOOKUP_TIMEOUT_MS, maxBuffer: 1 << 20, env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LC_ALL: 'C' } },
      (error, stdout) => {
        if (error === null) resolve({ code: 0, stdout });
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout });
        else reject(new AccountLookupError(`${file} ${args.join(' ')}: ${error.killed ? 'timed out' : error.message}`));
      },
    );
  });
}

export class AccountResolver {
  readonly #cache = new Map<string, { readonly expiresMs: number; readonly answer: Promise<unknown> }>();

  constructor(
    private readonly run: LookupRunner = runLookup,
    private readonly ttlMs = ACCOUNT_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The account named `name`; undefined when there is none or the name cannot be an account's. */
  account(name: string): Promise<OsAccount | undefined> {
    if (!isValidOsAccountName(name)) return Promise.resolve(undefined);
    return this.#cached(`passwd:${name}`, () => this.#lookUpAccount(name));
  }

  /** The id of the group named `name`; undefined when there is none. */
  groupId(name: string): Promise<number | undefined> {
    if (!isValidOsAccountName(name)) return Promise.resolve(undefined);
    return this.#cached(`group:${name}`, async () => {
      const { code, stdout } = await this.run('getent', ['group', '--', name]);
      if (code === GETENT_NOT_FOUND) return undefined;
      const entry = code === 0 ? firstEntry(stdout, parseGroupLine) : undefined;
      if (entry === undefined) throw new AccountLookupError(`getent group ${name} exited with ${code}`);
      return entry.gid;
    });
  }

  async #lookUpAccount(name: string): Promise<OsAccount | undefined> {
    const passwd = await this.run('getent', ['passwd', '--', name]);
    if (passwd.code === GETENT_NOT_FOUND) return undefined;
    const entry = passwd.code === 0 ? firstEntry(passwd.stdout, parsePasswdLine) : undefined;
    if (entry === undefined) throw new AccountLookupError(`getent passwd ${name} exited with ${passwd.code}`);
    // NSS may have answered with the canonical spelling; that is the name the groups belong to.
    if (!isValidOsAccountName(entry.name)) throw new AccountLookupError(`getent passwd ${name} answered for '${entry.name}'`);
    // id -G asks getgrouplist(3), which is what initgroups(3) (and so login) gives a process.
    const groups = await this.run('id', ['-G', '--', entry.name]);
    // The account vanished between the two lookups.
    if (groups.code !== 0) return undefined;
    const groupIds = parseIdGroups(groups.stdout);
    if (groupIds === undefined) throw new AccountLookupError(`id -G ${entry.name} printed no group ids`);
    return { ...entry, groupIds: groupIds.includes(entry.gid) ? groupIds : [entry.gid, ...groupIds] };
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const nowMs = this.now();
    const hit = this.#cache.get(key);
    // The promise itself is cached, so concurrent logons share one lookup. Its type is the one
    // load() gave for this key: keys are only ever made by the method that owns their prefix.
    if (hit !== undefined && hit.expiresMs > nowMs) return hit.answer as Promise<T>;
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    const answer = load();
    this.#cache.set(key, { expiresMs: nowMs + this.ttlMs, answer });
    // A failed lookup is not remembered: the next request tries again.
    answer.catch(() => {
      if (this.#cache.get(key)?.answer === answer) this.#cache.delete(key);
    });
    return answer;
  }
}
