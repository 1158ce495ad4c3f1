import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.js';
import { applyUsersFile } from '../../../cli/users-file-apply.js';
import type { DeclaredUser } from '../../../cli/users-file.js';
import { UserStore, UserStoreError } from '../../../users/index.js';

let dir: string;
let stderr: string;
let io: CliIo;
// An account that exists wherever the tests run, so nothing here needs useradd.
const own = userInfo().username;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-users-apply-'));
  stderr = '';
  io = { stdin: new PassThrough(), stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function user(name: string, password: string, groups: string[] = ['Administrators']): DeclaredUser {
  return { name, password, groups, osUser: own, createOsUser: true };
}

describe('applyUsersFile', () => {
  it('adds the declared users, and leaves them unchanged on the next start', async () => {
    const store = UserStore.open(dir);
    const declared = [user('alice', 'a-secret'), user('bob', 'b-secret', ['Remote Management Users'])];
    expect(await applyUsersFile(store, declared, io)).toEqual({ added: ['alice', 'bob'], updated: [], unchanged: [] });
    expect(await store.list()).toEqual([
      { name: 'alice', groups: ['Administrators'], osUser: own },
      { name: 'bob', groups: ['Remote Management Users'], osUser: own },
    ]);
    expect(await store.verify('alice', 'a-secret')).toBeDefined();
    expect(await applyUsersFile(store, declared, io)).toEqual({ added: [], updated: [], unchanged: ['alice', 'bob'] });
    // An existing account asked to be created is the normal case at a restart: no note.
    expect(stderr).toBe('');
  });

  it('replaces a user whose password, groups or account changed, and leaves undeclared users alone', async () => {
    const store = UserStore.open(dir);
    await store.add('Administrator', 'first-start', ['Administrators']);
    await applyUsersFile(store, [user('alice', 'old'), user('bob', 'b'), user('carol', 'c')], io);
    const changed = [user('alice', 'new'), user('bob', 'b', []), { ...user('carol', 'c'), osUser: own === 'nobody' ? 'root' : 'nobody' }];
    expect(await applyUsersFile(store, changed, io)).toEqual({ added: [], updated: ['alice', 'bob', 'carol'], unchanged: [] });
    expect(await store.verify('alice', 'old')).toBeUndefined();
    expect(await store.verify('alice', 'new')).toBeDefined();
    expect((await store.find('bob'))?.groups).toEqual([]);
    expect((await store.find('carol'))?.osUser).toBe(own === 'nobody' ? 'root' : 'nobody');
    expect(await store.verify('Administrator', 'first-start')).toBeDefined();
  });

  it('notes a missing account it was told not to create, and still adds the user', async () => {
    const store = UserStore.open(dir);
    const missing = { ...user('dave', 'd'), osUser: 'winrmd-no-such-account', createOsUser: false };
    expect((await applyUsersFile(store, [missing], io)).added).toEqual(['dave']);
    expect(stderr).toMatch(/there is no Linux account winrmd-no-such-account; dave's shells are refused until it exists/);
  });

  it('checks every entry before changing anything', async () => {
    const store = UserStore.open(dir);
    const bad = { ...user('e', 'x'), name: 'bad/name' };
    await expect(applyUsersFile(store, [user('alice', 'a'), bad], io)).rejects.toBeInstanceOf(UserStoreError);
    expect(await store.isEmpty()).toBe(true);
  });
});
