import { createHmac, randomBytes } from 'node:crypto';
import { ntHash } from '../auth/ntlm/nt-hash.js';
import { join } from 'node:path';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../auth/password-hash.js';
import { ensureStateDir } from '../config/state-dir.js';
import { normalizeGroups } from './groups.js';
import { sameName, validateOsUserName, validateUserName } from './names.js';
import type { UserRecord } from './user-record.js';
import { UserStoreError } from './user-store-error.js';
import {
  readUsersFile,
  sameStamp,
  statUsersFile,
  writeUsersFile,
  type FileStamp,
  type StoredUser,
} from './users-file.js';

export const USERS_FILE_NAME = 'users.json';

/** Bounds the memory of remembered logons; past it they are all forgotten and checked afresh. */
const MAX_REMEMBERED_LOGONS = 1000;
/**
 * How long a remembered Basic logon trusts the cached file without looking at it again: a user
 * removed, or a password changed, by `winrmd user` in another process stops working within this.
 * Unknown users and passwords not remembered always look at the file, so an added user works at once.
 */
const RECHECK_MS = 250;

function toRecord(user: StoredUser): UserRecord {
  // A fresh object with only the public fields: the hash must not leak out of the store.
  return { name: user.name, groups: [...user.groups], ...(user.osUser === undefined ? {} : { osUser: user.osUser }) };
}

/**
 * The local accounts winrmd authenticates, kept in `<stateDir>/users.json`.
 *
 * Every read checks the file's stamp and re-reads it when it changed, so a running server sees users
 * that `winrmd user add` added from another process without a restart (a Basic logon it remembers
 * trusts a check made within the last RECHECK_MS). Changes made through one
 * instance are serialized; two processes changing the file at the very same moment can still lose
 * one change (the last rename wins), which is acceptable for an administrator's command.
 */
interface CachedUsers {
  readonly users: readonly StoredUser[];
  readonly stamp: FileStamp | undefined;
  /** When the file was last found to be this version (performance.now()): when the check began. */
  checkedAt: number;
}

export class UserStore {
  readonly #path: string;
  #cache: CachedUsers | undefined;
  /** Reads of the file begun so far, in order; and which of them (or which write) #cache is from. */
  #readsBegun = 0;
  #cachedRead = 0;
  #writes: Promise<unknown> = Promise.resolve();
  readonly #verified = new Map<string, string>();
  readonly #memoKey = randomBytes(32);

  private constructor(
    readonly stateDir: string,
  ) {
    this.#path = join(stateDir, USERS_FILE_NAME);
  }

  /** Opens the store; nothing is read or created until it is used. */
  static open(stateDir: string): UserStore {
    return new UserStore(stateDir);
  }

  /** The file's path, for messages. */
  get path(): string {
    return this.#path;
  }

  async #users(): Promise<readonly StoredUser[]> {
    const startedAt = performance.now();
    const read = ++this.#readsBegun;
    const cached = this.#cache;
    if (cached !== undefined) {
      const stamp = await statUsersFile(this.#path);
      if (sameStamp(cached.stamp, stamp)) {
        // Only the entry that was compared is vouched for, not one another read put there meanwhile.
        cached.checkedAt = Math.max(cached.checkedAt, startedAt);
        return cached.users;
      }
    }
    const contents = await readUsersFile(this.#path);
    // An older read that finishes after a newer one (or after a write) is not kept.
    if (read > this.#cachedRead) {
      this.#cache = { ...contents, checkedAt: startedAt };
      this.#cachedRead = read;
    }
    return contents.users;
  }

  /** The cached users if the file was found unchanged within RECHECK_MS; else undefined. */
  #recentUsers(): readonly StoredUser[] | undefined {
    const cached = this.#cache;
    return cached !== undefined && performance.now() - cached.checkedAt < RECHECK_MS ? cached.users : undefined;
  }

  async #find(name: string): Promise<StoredUser | undefined> {
    return (await this.#users()).find((user) => sameName(user.name, name));
  }

  /** Runs read-modify-write steps one at a time so concurrent calls do not overwrite each other. */
  #mutate<T>(change: (users: readonly StoredUser[]) => Promise<{ users: readonly StoredUser[] | undefined; result: T }>): Promise<T> {
    const run = this.#writes.then(async () => {
      const { users, result } = await change(await this.#users());
      if (users !== undefined) {
        await ensureStateDir(this.stateDir);
        await writeUsersFile(this.#path, users);
        this.#cache = undefined;
        // A read that began before this write must not bring the old list back.
        this.#cachedRead = ++this.#readsBegun;
      }
      return result;
    });
    // A failed change must not block the ones queued after it.
    this.#writes = run.catch(() => undefined);
    return run;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.#users()).map(toRecord);
  }

  /** Finds a user by name in any case, as Windows does. */
  async find(name: string): Promise<UserRecord | undefined> {
    const user = await this.#find(name);
    return user === undefined ? undefined : toRecord(user);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.#users()).length === 0;
  }

  /**
   * Adds a user; throws UserStoreError for a bad name, group or OS account name, or when the name is
   * taken. `osUser` maps the user to a Linux account of another name.
   */
  async add(name: string, password: string, groups: readonly string[], osUser?: string): Promise<void> {
    validateUserName(name);
    if (osUser !== undefined) validateOsUserName(osUser);
    const normalized = normalizeGroups(groups);
    await this.#mutate(async (users) => {
      const existing = users.find((user) => sameName(user.name, name));
      if (existing !== undefined) throw new UserStoreError('exists', `user '${existing.name}' already exists`);
      const passwordHash = await hashPassword(password);
      const nt = ntHash(password).toString('hex');
      const user: StoredUser = { name, groups: normalized, passwordHash, ntHash: nt, ...(osUser === undefined ? {} : { osUser }) };
      return { users: [...users, user], result: undefined };
    });
  }

  /**
   * What NTLM needs to check a logon: the account and its NT hash. Undefined for an unknown user
   * and for one stored before NTLM support (no NT hash), who must log on with Basic.
   */
  async ntlmAccount(name: string): Promise<(UserRecord & { readonly ntHash: Buffer }) | undefined> {
    const user = await this.#find(name);
    if (user?.ntHash === undefined) return undefined;
    return { ...toRecord(user), ntHash: Buffer.from(user.ntHash, 'hex') };
  }

  /** Removes a user by name in any case; false when there was none. */
  remove(name: string): Promise<boolean> {
    return this.#mutate((users) => {
      const remaining = users.filter((user) => !sameName(user.name, name));
      const removed = remaining.length !== users.length;
      return Promise.resolve({ users: removed ? remaining : undefined, result: removed });
    });
  }

  /**
   * The user if `password` is theirs, else undefined. An unknown name costs a full hash too, so the
   * time taken does not tell an attacker which accounts exist.
   */
  async verify(name: string, password: string): Promise<UserRecord | undefined> {
    // Basic clients send the password with every request; a scrypt per request would make a
    // command loop CPU-bound. A success is remembered, keyed by an HMAC under a per-process key (no
    // password is kept), and only for the hash it matched, so a changed password is checked afresh.
    const memo = createHmac('sha256', this.#memoKey).update(name.toLowerCase()).update('\0').update(password).digest('base64');
    // A logon remembered against a file checked moments ago needs no new look at the file: the
    // stat would be a trip through libuv's thread pool on every request of a command loop.
    const recent = this.#recentUsers()?.find((user) => sameName(user.name, name));
    if (recent !== undefined && this.#verified.get(memo) === recent.passwordHash) return toRecord(recent);
    const user = await this.#find(name);
    if (user === undefined) {
      await verifyDummyPassword(password);
      return undefined;
    }
    if (this.#verified.get(memo) === user.passwordHash) return toRecord(user);
    if (!(await verifyPassword(password, user.passwordHash))) return undefined;
    if (this.#verified.size >= MAX_REMEMBERED_LOGONS) this.#verified.clear();
    this.#verified.set(memo, user.passwordHash);
    return toRecord(user);
  }

}
