/**
 * A remembered Basic logon trusts the users file it checked within the last 250 ms, so a command
 * loop does not stat the file per request; changes made by another process (`winrmd user`) still
 * take effect: an added user at once, a removal or a new password within the window.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Count the looks at the file; the real function still runs.
vi.mock('../../../users/users-file.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../users/users-file.js')>();
  return { ...actual, statUsersFile: vi.fn(actual.statUsersFile) };
});

const usersFile = await import('../../../users/users-file.js');
const { UserStore } = await import('../../../users/user-store.js');

const RECHECK_MS = 250;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-users-'));
});

afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const stats = (): number => vi.mocked(usersFile.statUsersFile).mock.calls.length;

describe('UserStore.verify and the users file', () => {
  it('does not look at the file again for a logon it remembers, within the window', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', []);
    expect(await store.verify('alice', 'pw')).toBeDefined();
    const before = stats();
    for (let i = 0; i < 5; i++) expect(await store.verify('ALICE', 'pw')).toBeDefined();
    expect(stats()).toBe(before);
  });

  it('looks at the file for a password it does not remember', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', []);
    expect(await store.verify('alice', 'pw')).toBeDefined();
    const before = stats();
    expect(await store.verify('alice', 'wrong')).toBeUndefined();
    expect(stats()).toBe(before + 1);
  });

  it('sees a user another process added at once', async () => {
    const server = UserStore.open(dir);
    await server.add('alice', 'pw', []);
    expect(await server.verify('alice', 'pw')).toBeDefined();
    await UserStore.open(dir).add('bob', 'bob-pw', []);
    expect(await server.verify('bob', 'bob-pw')).toBeDefined();
  });

  it('refuses a user another process removed, or whose password it changed, once the window has passed', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const server = UserStore.open(dir);
    await server.add('alice', 'pw', []);
    await server.add('bob', 'bob-pw', []);
    expect(await server.verify('alice', 'pw')).toBeDefined();
    expect(await server.verify('bob', 'bob-pw')).toBeDefined();
    const admin = UserStore.open(dir);
    await admin.remove('alice');
    await admin.remove('bob');
    await admin.add('bob', 'new-pw', []);
    vi.advanceTimersByTime(RECHECK_MS);
    expect(await server.verify('alice', 'pw')).toBeUndefined();
    expect(await server.verify('bob', 'bob-pw')).toBeUndefined();
    expect(await server.verify('bob', 'new-pw')).toBeDefined();
  });
});
