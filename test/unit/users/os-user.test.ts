import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { osAccountOf, UserStore } from '../../../users/index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-osuser-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Linux account a user maps to', () => {
  it('is stored as osUser when given, and read back by every lookup', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', ['Administrators'], 'labalice');
    await store.add('bob', 'pw', []);
    const file: unknown = JSON.parse(await readFile(join(dir, 'users.json'), 'utf8'));
    expect(file).toMatchObject({ users: [{ name: 'alice', osUser: 'labalice' }, { name: 'bob' }] });
    expect(JSON.stringify(file)).not.toMatch(/"name":"bob"[^}]*osUser/);
    expect(await store.find('ALICE')).toEqual({ name: 'alice', groups: ['Administrators'], osUser: 'labalice' });
    expect(await store.verify('alice', 'pw')).toMatchObject({ osUser: 'labalice' });
    expect((await store.ntlmAccount('alice'))?.osUser).toBe('labalice');
    expect(await store.find('bob')).toEqual({ name: 'bob', groups: [] });
  });

  it("defaults to the account of the user's name, spelled as stored", () => {
    expect(osAccountOf({ name: 'Alice' })).toBe('Alice');
    expect(osAccountOf({ name: 'alice', osUser: 'labalice' })).toBe('labalice');
  });

  it('must be a name Linux accounts can have', async () => {
    const store = UserStore.open(dir);
    await expect(store.add('alice', 'pw', [], '0')).rejects.toMatchObject({ code: 'invalid-os-user' });
    await expect(store.add('alice', 'pw', [], '-o')).rejects.toMatchObject({ code: 'invalid-os-user' });
    expect(await store.list()).toEqual([]);
  });

  it('is checked when users.json is read, since getent gets it as an argument', async () => {
    const user = { name: 'x', groups: [], passwordHash: 'h' };
    await writeFile(join(dir, 'users.json'), JSON.stringify({ version: 1, users: [{ ...user, osUser: '0' }] }));
    await expect(UserStore.open(dir).list()).rejects.toThrow(/malformed osUser/);
    await writeFile(join(dir, 'users.json'), JSON.stringify({ version: 1, users: [{ ...user, osUser: 7 }] }));
    await expect(UserStore.open(dir).list()).rejects.toThrow(/malformed osUser/);
  });
});
