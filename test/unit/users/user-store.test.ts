import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMINISTRATORS, isMemberOf, REMOTE_MANAGEMENT_USERS, UserStore, UserStoreError } from '../../../users/index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-users-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('UserStore', () => {
  it('starts empty without creating a file', async () => {
    const store = UserStore.open(dir);
    expect(await store.isEmpty()).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('adds, lists, finds and removes users', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'a-secret', [ADMINISTRATORS]);
    await store.add('Bob', 'b-secret', []);
    expect(await store.isEmpty()).toBe(false);
    expect(await store.list()).toEqual([
      { name: 'alice', groups: ['Administrators'] },
      { name: 'Bob', groups: [] },
    ]);
    expect(await store.find('ALICE')).toEqual({ name: 'alice', groups: ['Administrators'] });
    expect(await store.find('carol')).toBeUndefined();
    expect(await store.remove('bob')).toBe(true);
    expect(await store.remove('bob')).toBe(false);
    expect((await store.list()).map((user) => user.name)).toEqual(['alice']);
  });

  it('refuses a name that exists in any case', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', []);
    const error: unknown = await store.add('ALICE', 'other', []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserStoreError);
    expect(error).toMatchObject({ code: 'exists' });
    expect(await store.verify('alice', 'pw')).toBeDefined();
  });

  it('validates names', async () => {
    const store = UserStore.open(dir);
    const tooLong = 'a'.repeat(65);
    for (const bad of ['', tooLong, 'a\tb', 'a\u0000', 'dom\\user', 'user@dom', 'a/b', 'a:b', 'a,b', 'a*', ' lead', 'trail ', '...']) {
      await expect(store.add(bad, 'pw', []), JSON.stringify(bad)).rejects.toMatchObject({ code: 'invalid-name' });
    }
    await store.add('a'.repeat(64), 'pw', []);
    await store.add('Jean-Luc O\'Brien.2', 'pw', []);
    expect(await store.list()).toHaveLength(2);
  });

  it('canonicalizes well-known groups and drops duplicate groups', async () => {
    const store = UserStore.open(dir);
    await store.add('ann', 'pw', ['administrators', 'REMOTE MANAGEMENT USERS', 'Operators', 'operators']);
    const ann = await store.find('ann');
    expect(ann?.groups).toEqual([ADMINISTRATORS, REMOTE_MANAGEMENT_USERS, 'Operators']);
    expect(ann !== undefined && isMemberOf(ann, 'ADMINISTRATORS')).toBe(true);
    expect(ann !== undefined && isMemberOf(ann, 'Guests')).toBe(false);
    await expect(store.add('bea', 'pw', ['bad,group'])).rejects.toMatchObject({ code: 'invalid-group' });
  });

  it('verifies passwords and never returns the hash', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'right', ['Administrators']);
    const user = await store.verify('Alice', 'right');
    expect(user).toEqual({ name: 'alice', groups: ['Administrators'] });
    expect(Object.keys(user ?? {})).toEqual(['name', 'groups']);
    expect(await store.verify('alice', 'wrong')).toBeUndefined();
    expect(await store.verify('nobody', 'right')).toBeUndefined();
    expect(JSON.stringify(await store.list())).not.toContain('scrypt');
  });

  it('writes users.json with mode 0600, hashes only, no plaintext', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'plaintext-Pa55', ['Administrators']);
    const path = join(dir, 'users.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('plaintext-Pa55');
    const document: unknown = JSON.parse(text);
    expect(document).toMatchObject({
      version: 1,
      users: [{ name: 'alice', groups: ['Administrators'], passwordHash: expect.stringMatching(/^scrypt\$/) as unknown }],
    });
    // A looser mode set by hand is tightened again on the next write, and no temp file is left.
    await chmod(path, 0o644);
    await store.add('bob', 'pw', []);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['users.json']);
  });

  it('creates the state directory on first write', async () => {
    const nested = join(dir, 'deeper', 'state');
    await UserStore.open(nested).add('alice', 'pw', []);
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
  });

  it('sees changes made by another instance (another process)', async () => {
    const server = UserStore.open(dir);
    const cli = UserStore.open(dir);
    expect(await server.find('alice')).toBeUndefined();
    await cli.add('alice', 'pw', []);
    expect(await server.find('alice')).toEqual({ name: 'alice', groups: [] });
    expect(await server.verify('alice', 'pw')).toBeDefined();
    await cli.remove('alice');
    expect(await server.find('alice')).toBeUndefined();
    expect(await server.isEmpty()).toBe(true);
  });

  it('keeps concurrent changes through one instance', async () => {
    const store = UserStore.open(dir);
    await Promise.all([store.add('a1', 'pw', []), store.add('a2', 'pw', []), store.add('a3', 'pw', [])]);
    expect((await store.list()).map((user) => user.name).sort()).toEqual(['a1', 'a2', 'a3']);
  });

  it('reports a damaged file instead of treating it as empty', async () => {
    await writeFile(join(dir, 'users.json'), '{"version":1,"users":[{"name":"x"}]}');
    await expect(UserStore.open(dir).list()).rejects.toMatchObject({ code: 'corrupt' });
    await writeFile(join(dir, 'users.json'), 'not json');
    await expect(UserStore.open(dir).list()).rejects.toThrow(/not valid JSON/);
    await writeFile(join(dir, 'users.json'), '{"version":2,"users":[]}');
    await expect(UserStore.open(dir).list()).rejects.toThrow(/version 2/);
  });
});
