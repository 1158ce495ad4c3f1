import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyDummyPassword, verifyPassword } from '../../../auth/password-hash.js';

describe('password hashing', () => {
  it('encodes scrypt with its parameters, a 16-byte salt and a 32-byte key', async () => {
    const encoded = await hashPassword('correct horse');
    const [scheme, n, r, p, salt, key, ...rest] = encoded.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(rest).toEqual([]);
    expect(encoded).not.toContain('correct horse');
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('verifies the right password and rejects wrong ones', async () => {
    const encoded = await hashPassword('pässwörd');
    expect(await verifyPassword('pässwörd', encoded)).toBe(true);
    expect(await verifyPassword('passwörd', encoded)).toBe(false);
    expect(await verifyPassword('pässwörd ', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('treats composed and decomposed forms of a password alike', async () => {
    const encoded = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', encoded)).toBe(true);
  });

  it('verifies hashes made with other valid parameters', async () => {
    const encoded = await hashPassword('pw');
    const [, , , , salt] = encoded.split('$');
    // Re-derive with N=1024 by hand to show the parameters come from the encoding.
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('pw', Buffer.from(salt ?? '', 'base64'), 32, { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('pw', `scrypt$1024$8$1$${salt ?? ''}$${key.toString('base64')}`)).toBe(true);
  });

  it('returns false, never throws, for malformed encodings', async () => {
    const good = await hashPassword('pw');
    const [, n, r, p, salt, key] = good.split('$') as [string, string, string, string, string, string];
    const malformed = [
      '',
      'pw',
      'scrypt',
      `bcrypt$${n}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key}$extra`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$1$${r}$${p}$${salt}$${key}`,
      `scrypt$0$${r}$${p}$${salt}$${key}`,
      `scrypt$-16384$${r}$${p}$${salt}$${key}`,
      `scrypt$1073741824$${r}$${p}$${salt}$${key}`, // would need gigabytes
      `scrypt$${n}$${r}$${p}$${salt}$not*base64`,
      `scrypt$${n}$${r}$${p}$$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}$${Buffer.alloc(4).toString('base64')}`, // key too short
    ];
    for (const encoded of malformed) {
      expect(await verifyPassword('pw', encoded), encoded).toBe(false);
    }
  });

  it('offers a dummy hash with the real parameters for unknown users', async () => {
    const real = await hashPassword('x');
    expect(DUMMY_PASSWORD_HASH.split('$').slice(0, 4)).toEqual(real.split('$').slice(0, 4));
    expect(Buffer.from(DUMMY_PASSWORD_HASH.split('$')[5] ?? '', 'base64')).toHaveLength(32);
    expect(await verifyDummyPassword('anything')).toBe(false);
  });

  it('spends about as long on the dummy hash as on a real check', async () => {
    const real = await hashPassword('timing');
    // The fastest of a few runs each, so a busy thread pool during one run does not decide the test.
    const fastest = async (check: () => Promise<boolean>): Promise<number> => {
      let best = Infinity;
      for (let run = 0; run < 3; run += 1) {
        const started = performance.now();
        await check();
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const realMs = await fastest(() => verifyPassword('wrong', real));
    const dummyMs = await fastest(() => verifyDummyPassword('wrong'));
    // Loose bound: a dummy that failed to parse would return in microseconds, far below a third.
    expect(dummyMs).toBeGreaterThan(realMs / 3);
  });
});
