/**
 * Reading and writing users.json. The file holds password hashes, so it is always written 0600 and
 * replaced atomically: a server reading it concurrently sees the old or the new list, never half.
 */
import { randomBytes } from 'node:crypto';
import { chown, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isValidOsAccountName } from '../accounts/os-account.js';
import { UserStoreError } from './user-store-error.js';

export const USERS_FILE_VERSION = 1;
const FILE_MODE = 0o600;

export interface StoredUser {
  readonly name: string;
  readonly groups: readonly string[];
  readonly passwordHash: string;
  /**
   * MD4 of the UTF-16LE password, hex: what NTLM needs to verify a response. It is
   * password-equivalent for NTLM, so it is kept exactly like the password hash (0600, never logged).
   * Absent for users written before NTLM existed: they can log on with Basic only.
   */
  readonly ntHash?: string;
  /** The Linux account to run as (`--os-user`); absent means the account named like the user. */
  readonly osUser?: string;
}

/** Identifies one version of the file on disk; a rename or an edit changes it. */
export interface FileStamp {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
}

export interface UsersFileContents {
  readonly users: readonly StoredUser[];
  /** Undefined when the file does not exist yet. */
  readonly stamp: FileStamp | undefined;
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** The stamp of the file now, to decide whether a cached copy is still current. */
export async function statUsersFile(path: string): Promise<FileStamp | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return { ino: info.ino, size: info.size, mtimeNs: info.mtimeNs };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseUser(value: unknown, index: number, path: string): StoredUser {
  const bad = (what: string): UserStoreError =>
    new UserStoreError('corrupt', `users file ${path} is damaged: entry ${index} ${what}`);
  if (!isRecord(value)) throw bad('is not an object');
  const { name, groups, passwordHash, ntHash, osUser } = value;
  if (typeof name !== 'string') throw bad('has no name');
  if (!Array.isArray(groups) || !groups.every((group): group is string => typeof group === 'string')) {
    throw bad('has no list of groups');
  }
  if (typeof passwordHash !== 'string') throw bad('has no passwordHash');
  if (ntHash !== undefined && (typeof ntHash !== 'string' || !/^[0-9a-f]{32}$/.test(ntHash))) throw bad('has a malformed ntHash');
  // A hand-edited name that cannot be an account's would otherwise reach getent as an argument.
  if (osUser !== undefined && (typeof osUser !== 'string' || !isValidOsAccountName(osUser))) throw bad('has a malformed osUser');
  return { name, groups, passwordHash, ...(ntHash === undefined ? {} : { ntHash }), ...(osUser === undefined ? {} : { osUser }) };
}

function parseUsers(text: string, path: string): StoredUser[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserStoreError('corrupt', `users file ${path} is not valid JSON: ${reason}`);
  }
  if (!isRecord(document) || !Array.isArray(document['users'])) {
    throw new UserStoreError('corrupt', `users file ${path} is damaged: no "users" list`);
  }
  if (document['version'] !== USERS_FILE_VERSION) {
    throw new UserStoreError('corrupt', `users file ${path} has version ${String(document['version'])}; this winrmd reads version ${USERS_FILE_VERSION}`);
  }
  return document['users'].map((user, index) => parseUser(user, index, path));
}

/** Reads the file; a missing file is an empty list. */
export async function readUsersFile(path: string): Promise<UsersFileContents> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isNotFound(error)) return { users: [], stamp: undefined };
    throw error;
  }
  try {
    // Stat the open handle, not the path, so the stamp belongs to exactly the bytes read even if
    // another process renames a new file into place meanwhile.
    const info = await handle.stat({ bigint: true });
    const text = await handle.readFile('utf8');
    return { users: parseUsers(text, path), stamp: { ino: info.ino, size: info.size, mtimeNs: info.mtimeNs } };
  } finally {
    await handle.close();
  }
}

/** Makes the rename durable across a crash; some filesystems cannot sync a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only.
  }
}

/** Replaces the file atomically (temp file in the same directory, then rename) with mode 0600. */
export async function writeUsersFile(path: string, users: readonly StoredUser[]): Promise<void> {
  const dir = dirname(path);
  const previous = await stat(path).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const text = `${JSON.stringify({ version: USERS_FILE_VERSION, users }, null, 2)}\n`;
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    // open()'s mode is filtered by the umask; set it outright so the hashes are never group-readable.
    await handle.chmod(FILE_MODE);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    // When root edits the users of a service that runs under its own account, the new file must
    // stay readable by that account, so it inherits the old file's owner.
    if (previous !== undefined && process.getuid?.() === 0) await chown(temp, previous.uid, previous.gid);
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}
