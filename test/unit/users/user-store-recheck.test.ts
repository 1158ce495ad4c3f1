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
  return { ...actual, statUsersFile: vi.fn(actual.statUsersFile), readUsersFile: vi.fn(actual.readUsersFile) };
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
    // A fake clock: the window must not close while scrypt runs on a loaded machine.
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', []);
    expect(await store.verify('alice', 'pw')).toBeDefined();
    const before = stats();
    for (let i = 0; i < 5; i++) expect(await store.verify('ALICE', 'pw')).toBeDefined();
    expect(stats()).toBe(before);
    vi.advanceTimersByTime(RECHECK_MS);
    expect(await store.verify('alice', 'pw')).toBeDefined();
    expect(stats()).toBe(before + 1);
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

  it('keeps the newest read when an older one finishes after it', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const server = UserStore.open(dir);
    await server.add('alice', 'pw', []);
    expect(await server.verify('alice', 'pw')).toBeDefined();
    const withAlice = await usersFile.readUsersFile(join(dir, 'users.json'));
    // The file changes, so the server's next look reads it: slowly, and it gets the list with alice.
    await UserStore.open(dir).add('bob', 'bob-pw', []);
    let finishSlowRead: () => void = () => undefined;
    const slowRead = new Promise<void>((resolve) => {
      finishSlowRead = resolve;
    });
    vi.mocked(usersFile.readUsersFile).mockImplementationOnce(async () => {
      await slowRead;
      return withAlice;
    });
    vi.advanceTimersByTime(RECHECK_MS);
    const slow = server.verify('alice', 'wrong');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Meanwhile another process removes alice, and a newer read sees it.
    await UserStore.open(dir).remove('alice');
    expect(await server.verify('alice', 'pw')).toBeUndefined();
    // The slow read, finishing last, must not bring her back.
    finishSlowRead();
    expect(await slow).toBeUndefined();
    expect(await server.verify('alice', 'pw')).toBeUndefined();
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
