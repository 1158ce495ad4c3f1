import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Count the password checks the store makes; the real functions still run.
vi.mock('../../../auth/password-hash.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../auth/password-hash.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword), verifyDummyPassword: vi.fn(actual.verifyDummyPassword) };
});

const hashing = await import('../../../auth/password-hash.js');
const { UserStore } = await import('../../../users/user-store.js');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-users-'));
  vi.mocked(hashing.verifyPassword).mockClear();
  vi.mocked(hashing.verifyDummyPassword).mockClear();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('UserStore.verify against user enumeration', () => {
  it('spends a full hash on an unknown user', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', []);
    expect(await store.verify('mallory', 'pw')).toBeUndefined();
    expect(hashing.verifyDummyPassword).toHaveBeenCalledWith('pw');
  });

  it('spends a hash on an empty store too', async () => {
    expect(await UserStore.open(dir).verify('alice', 'pw')).toBeUndefined();
    expect(hashing.verifyDummyPassword).toHaveBeenCalledTimes(1);
  });

  it('checks a known user against their own hash only', async () => {
    const store = UserStore.open(dir);
    await store.add('alice', 'pw', []);
    expect(await store.verify('alice', 'wrong')).toBeUndefined();
    expect(hashing.verifyPassword).toHaveBeenCalledTimes(1);
    expect(hashing.verifyDummyPassword).not.toHaveBeenCalled();
  });
});
