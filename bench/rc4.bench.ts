/**
 * RC4 over 1 MB, the whole cost of NTLM sealing beyond one HMAC-MD5: the cipher as it is now
 * against the one before issue #9's speed work (support/rc4-baseline.ts), same key, same data.
 * Node's OpenSSL offers RC4 only with --openssl-legacy-provider, a process-wide flag, so the
 * cipher is ours: its loop in WebAssembly for long messages, in TypeScript for short ones.
 */
import { describe } from 'vitest';
import { Rc4, cryptInScript } from '../auth/ntlm/rc4.js';
import { benchWith } from './support/bench-with.js';
import { Rc4Baseline } from './support/rc4-baseline.js';

const BYTES = 1 << 20;
const key = Buffer.from('0123456789abcdef');
const data = Buffer.alloc(BYTES);
for (let i = 0; i < BYTES; i++) data[i] = (i * 131 + 17) & 0xff;
const before = new Rc4Baseline(key);
const now = new Rc4(key);
const inPlace = new Rc4(key);
const scratch = Buffer.from(data);
const scratchOut = Buffer.alloc(BYTES);
const registers = { state: Uint8Array.from({ length: 256 }, (_, i) => i), i: 0, j: 0 };
const options = { time: 1500, warmupTime: 300 };
const info = { bytesPerOp: BYTES, unit: 'RC4' };

if (!new Rc4(key).process(data).equals(new Rc4Baseline(key).process(data))) throw new Error('the two RC4s disagree');

describe('RC4, 1 MB per op, one continuing key stream', () => {
  benchWith('before: Uint8Array state, zero-filled output', () => void before.process(data), options, { baseline: true, ...info });
  benchWith('now: WebAssembly kernel, 64 KiB at a time', () => void now.process(data), options, { baseline: false, ...info });
  benchWith('now, in place', () => void inPlace.process(scratch, scratch), options, { baseline: false, ...info });
  benchWith('the TypeScript loop alone (short messages, no WebAssembly)', () => {
    cryptInScript(registers, data, scratchOut);
  }, options, { baseline: false, ...info });
});
