/**
 * Password hashing for the user store: scrypt, encoded as `scrypt$N$r$p$saltB64$hashB64` so the
 * parameters travel with each hash and can be raised later without breaking old entries.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { decodeStrictBase64 } from './base64.js';

const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Upper bounds on what verify accepts, so a tampered users.json cannot make each login allocate
// gigabytes or spin for minutes. scrypt needs about 128 * N * r * p bytes.
const MAX_MEMORY = 64 * 1024 * 1024;
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * A valid hash of a random password nobody knows, with the same parameters as hashPassword. Checking
 * a password against it costs what a real check costs, so a login for an unknown user takes as long
 * as one for a known user with a wrong password and does not reveal which accounts exist.
 */
export const DUMMY_PASSWORD_HASH =
  'scrypt$16384$8$1$80IdgtMV4PTMPocAjTv9Hw==$6Eg96dR6HdenmrOTVQt+LUACtVwY8ch8EG1SSCmmqlo=';

function deriveKey(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: MAX_MEMORY }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseInteger(text: string | undefined, max: number): number | undefined {
  if (text === undefined || !/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

function parseBase64(text: string | undefined, minBytes: number, maxBytes: number): Buffer | undefined {
  // Buffer.from silently skips junk characters; insisting on the canonical form rejects a corrupted
  // entry instead of verifying against something else.
  const bytes = text === undefined ? undefined : decodeStrictBase64(text);
  if (bytes === undefined || bytes.toString('base64') !== text || bytes.length < minBytes || bytes.length > maxBytes) return undefined;
  return bytes;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const fields = encoded.split('$');
  if (fields.length !== 6 || fields[0] !== 'scrypt') return undefined;
  const n = parseInteger(fields[1], MAX_N);
  const r = parseInteger(fields[2], MAX_R);
  const p = parseInteger(fields[3], MAX_P);
  const salt = parseBase64(fields[4], 8, 64);
  const key = parseBase64(fields[5], 16, 64);
  if (n === undefined || r === undefined || p === undefined || salt === undefined || key === undefined) return undefined;
  // scrypt requires N to be a power of two greater than 1.
  if (n < 2 || (n & (n - 1)) !== 0 || 128 * n * r * p > MAX_MEMORY) return undefined;
  return { N: n, r, p, salt, key };
}

/** Whether `password` matches `encoded`; a malformed or unsupported encoding never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (parsed === undefined) return false;
  const key = await deriveKey(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p });
  return timingSafeEqual(key, parsed.key);
}

/** Spends the time of one password check and fails; for a login naming no known user. */
export async function verifyDummyPassword(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_PASSWORD_HASH);
  return false;
}
