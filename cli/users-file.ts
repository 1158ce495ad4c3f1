/**
 * WINRMD_USERS_FILE: the users an endpoint should have, declared in a file (YAML or JSON) that a
 * container mounts, instead of `winrmd user add` run by hand:
 *
 *   users:
 *     - name: alice
 *       password: S3cret!              # or passwordFile: /run/secrets/alice (first line; relative
 *       groups: [Administrators]       #   to this file's directory)
 *       osUser: alice                  # the Linux account; default: the user's name
 *       createOsUser: true             # create that account when missing (default true)
 *
 * This module reads and checks the file; applying it to the store is users-file-apply.ts.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import { readSecretFile } from './secret-file.js';

export const USERS_FILE_VARIABLE = 'WINRMD_USERS_FILE';

export interface DeclaredUser {
  readonly name: string;
  readonly password: string;
  readonly groups: readonly string[];
  readonly osUser?: string;
  readonly createOsUser: boolean;
}

/** A declared user before its password file is read. */
interface UserEntry {
  readonly name: string;
  readonly secret: { readonly password: string } | { readonly passwordFile: string };
  readonly groups: readonly string[];
  readonly osUser?: string;
  readonly createOsUser: boolean;
}

const FIELDS = new Set(['name', 'password', 'passwordFile', 'groups', 'osUser', 'createOsUser']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(entry: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${where}: ${field} must be a non-empty string`);
  return value;
}

function groupsOf(entry: Record<string, unknown>, where: string): string[] {
  const value = entry['groups'];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((group) => {
    if (typeof group !== 'string' || group === '') throw new ConfigError(`${where}: groups must be a group name or a list of them`);
    return group;
  });
}

function entryOf(raw: unknown, where: string): UserEntry {
  if (!isObject(raw)) throw new ConfigError(`${where}: expected a mapping with name, password or passwordFile, groups`);
  // A misspelt field (`group:`, `password_file:`) would otherwise be ignored and leave a user without
  // the access or password meant for them.
  const unknown = Object.keys(raw).filter((field) => !FIELDS.has(field));
  if (unknown.length > 0) {
    const named = typeof raw['name'] === 'string' ? `${where} (${raw['name']})` : where;
    throw new ConfigError(`${named}: unknown field ${unknown.join(', ')} (known: ${[...FIELDS].join(', ')})`);
  }
  const name = optionalString(raw, 'name', where);
  if (name === undefined) throw new ConfigError(`${where}: name is missing`);
  const password = optionalString(raw, 'password', `${where} (${name})`);
  const passwordFile = optionalString(raw, 'passwordFile', `${where} (${name})`);
  if ((password === undefined) === (passwordFile === undefined)) {
    throw new ConfigError(`${where} (${name}): give exactly one of password and passwordFile`);
  }
  const createOsUser = raw['createOsUser'] ?? true;
  if (typeof createOsUser !== 'boolean') throw new ConfigError(`${where} (${name}): createOsUser must be true or false`);
  const osUser = optionalString(raw, 'osUser', `${where} (${name})`);
  return {
    name,
    secret: password !== undefined ? { password } : { passwordFile: passwordFile ?? '' },
    groups: groupsOf(raw, `${where} (${name})`),
    ...(osUser === undefined ? {} : { osUser }),
    createOsUser,
  };
}

/** The entries of a users file's text; `origin` names the file in messages. Names must be unique. */
export function parseUsersFile(text: string, origin: string): UserEntry[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(`${origin}: not valid YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (!isObject(document) || !Array.isArray(document['users'])) throw new ConfigError(`${origin}: expected a top-level 'users:' list`);
  const entries = document['users'].map((raw, index) => entryOf(raw, `${origin}: users[${index}]`));
  const seen = new Set<string>();
  for (const entry of entries) {
    // Names compare without case, as the user store compares them.
    const key = entry.name.toLowerCase();
    if (seen.has(key)) throw new ConfigError(`${origin}: user ${entry.name} is declared twice`);
    seen.add(key);
  }
  return entries;
}

/** Reads, checks and resolves (password files, relative to the users file) the users file at `path`. */
export async function loadUsersFile(path: string): Promise<DeclaredUser[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${USERS_FILE_VARIABLE}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const entries = parseUsersFile(text, path);
  const users: DeclaredUser[] = [];
  for (const entry of entries) {
    const password =
      'password' in entry.secret
        ? entry.secret.password
        : await readSecretFile(resolve(dirname(path), entry.secret.passwordFile), `${path}: ${entry.name}'s passwordFile`);
    users.push({
      name: entry.name,
      password,
      groups: entry.groups,
      ...(entry.osUser === undefined ? {} : { osUser: entry.osUser }),
      createOsUser: entry.createOsUser,
    });
  }
  return users;
}
