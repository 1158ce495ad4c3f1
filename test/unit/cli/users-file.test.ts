import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadUsersFile, parseUsersFile } from '../../../cli/users-file.js';
import { ConfigError } from '../../../config/config-error.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-users-file-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseUsersFile', () => {
  it('reads entries with defaults: no groups, the own account, createOsUser true', () => {
    const entries = parseUsersFile(
      ['users:', '  - name: alice', '    password: a-secret', '    groups: [Administrators]', '  - name: bob', '    passwordFile: bob.txt', '    groups: Remote Management Users', '    osUser: www-data', '    createOsUser: false', '  - name: carol', '    password: c'].join('\n'),
      'users.yaml',
    );
    expect(entries).toEqual([
      { name: 'alice', secret: { password: 'a-secret' }, groups: ['Administrators'], createOsUser: true },
      { name: 'bob', secret: { passwordFile: 'bob.txt' }, groups: ['Remote Management Users'], osUser: 'www-data', createOsUser: false },
      { name: 'carol', secret: { password: 'c' }, groups: [], createOsUser: true },
    ]);
  });

  it('reads JSON too', () => {
    expect(parseUsersFile('{"users":[{"name":"a","password":"p"}]}', 'u.json')).toEqual([{ name: 'a', secret: { password: 'p' }, groups: [], createOsUser: true }]);
  });

  it.each([
    ['not YAML', 'users: [', /u.yaml: not valid YAML or JSON/],
    ['no users list', 'name: alice', /u.yaml: expected a top-level 'users:' list/],
    ['an entry that is not a mapping', 'users: [alice]', /users\[0\]: expected a mapping/],
    ['a missing name', 'users: [{password: x}]', /users\[0\]: name is missing/],
    ['no password', 'users: [{name: a}]', /users\[0\] \(a\): give exactly one of password and passwordFile/],
    ['both passwords', 'users: [{name: a, password: x, passwordFile: f}]', /exactly one of password and passwordFile/],
    ['a misspelt field', 'users: [{name: a, password: x, group: Administrators}]', /unknown field group/],
    ['a bad createOsUser', 'users: [{name: a, password: x, createOsUser: "yes"}]', /createOsUser must be true or false/],
    ['a bad group', 'users: [{name: a, password: x, groups: [1]}]', /groups must be a group name or a list/],
    ['a name declared twice', 'users: [{name: a, password: x}, {name: A, password: y}]', /user A is declared twice/],
  ])('refuses %s with a ConfigError that says where', (_what, text, message) => {
    expect(() => parseUsersFile(text, 'u.yaml')).toThrow(ConfigError);
    expect(() => parseUsersFile(text, 'u.yaml')).toThrow(message);
  });

  it('never puts a password into an error message', () => {
    expect(() => parseUsersFile('users: [{name: a, password: hunter2, passwordFile: f}]', 'u.yaml')).not.toThrow(/hunter2/);
  });
});

describe('loadUsersFile', () => {
  it('reads password files relative to the users file', async () => {
    await mkdir(join(dir, 'secrets'));
    await writeFile(join(dir, 'secrets', 'bob'), 'bob-secret\n');
    await writeFile(join(dir, 'users.yaml'), 'users:\n  - {name: bob, passwordFile: secrets/bob, groups: [Administrators]}\n  - {name: al, password: p}\n');
    expect(await loadUsersFile(join(dir, 'users.yaml'))).toEqual([
      { name: 'bob', password: 'bob-secret', groups: ['Administrators'], createOsUser: true },
      { name: 'al', password: 'p', groups: [], createOsUser: true },
    ]);
  });

  it('names the file that cannot be read', async () => {
    await expect(loadUsersFile(join(dir, 'missing.yaml'))).rejects.toThrow(/WINRMD_USERS_FILE: cannot read .*missing.yaml \(ENOENT\)/);
    await writeFile(join(dir, 'users.yaml'), 'users: [{name: bob, passwordFile: nope}]');
    await expect(loadUsersFile(join(dir, 'users.yaml'))).rejects.toThrow(/bob's passwordFile: cannot read .*nope/);
  });
});
