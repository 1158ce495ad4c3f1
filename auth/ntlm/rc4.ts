/**
 * The RC4 stream cipher, as NTLM session security requires it (MS-NLMP 3.4: RC4Init, RC4, RC4K).
 * Node's OpenSSL 3 build refuses RC4, so it is written out here, with the loop for long messages
 * in WebAssembly (rc4-kernel.ts). Weak by modern standards; it is used only because the NTLM
 * wire format demands it.
 */
import { rc4Kernel, type Rc4Registers } from './rc4-kernel.js';
import { xorBytes } from './xor-bytes.js';

/**
 * Below this many bytes the TypeScript loops win, the cipher's and the XOR's: copying in and out of
 * the kernel costs more (measured for the cipher; the XOR's break-even is lower, but messages this
 * short are few).
 */
const KERNEL_MIN_BYTES = 512;

/** At most this much key stream is kept made ahead: a reply of the largest pooled size. */
const MAX_AHEAD_BYTES = 1024 * 1024;
const NOTHING = Buffer.alloc(0);

export class Rc4 {
  readonly #registers: Rc4Registers = { state: new Uint8Array(256), i: 0, j: 0 };
  /** Key stream that prepare() made ahead, bytes [#aheadStart, #aheadEnd): used before any new. */
  #ahead: Buffer = NOTHING;
  #aheadStart = 0;
  #aheadEnd = 0;

  /** RC4Init: the key-scheduling algorithm. Keys of 1 to 256 bytes. */
  constructor(key: Buffer) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4 key must be 1 to 256 bytes');
    const s = this.#registers.state;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const si = s[i] ?? 0;
      j = (j + si + (key[i % key.length] ?? 0)) & 0xff;
      s[i] = s[j] ?? 0;
      s[j] = si;
    }
  }

  /**
   * Encrypts or decrypts `data` (the same operation), continuing the key stream where the previous
   * call stopped: NTLM seals a message and then its checksum with one persistent handle. `out` may
   * be `data` itself, to work in place, or memory that does not overlap it; by default a new
   * buffer, not zero-filled since every byte is written.
   */
  process(data: Uint8Array, out: Buffer = Buffer.allocUnsafe(data.length)): Buffer {
    if (out.length < data.length) throw new RangeError('RC4 output shorter than its input');
    const fromAhead = Math.min(this.#aheadEnd - this.#aheadStart, data.length);
    if (fromAhead > 0) {
      const keyStream = this.#ahead.subarray(this.#aheadStart);
      if (rc4Kernel !== undefined && fromAhead >= KERNEL_MIN_BYTES) rc4Kernel.xor(data, keyStream, out, fromAhead);
      else xorBytes(data, keyStream, out, fromAhead);
      this.#aheadStart += fromAhead;
      // Used up: the memory goes, rather than staying with an idle connection until it closes.
      if (this.#aheadStart === this.#aheadEnd) this.#forgetAhead();
    }
    if (fromAhead < data.length) this.#crypt(data.subarray(fromAhead), out.subarray(fromAhead));
    return out;
  }

  /**
   * Makes key stream ahead until `bytes` of it are in store (MAX_AHEAD_BYTES at most), so that a
   * later process() of that much only XORs. RC4 is serial, a byte at a time (300 MB/s here): run in
   * time that would otherwise be idle (the listener, after it has sent a reply; a client, while it
   * waits for one), this takes the cipher's work off the next message's path. What is made is kept
   * until a message uses it.
   */
  prepare(bytes: number): void {
    if (!Number.isFinite(bytes)) return;
    const wanted = Math.min(Math.max(0, Math.floor(bytes)), MAX_AHEAD_BYTES);
    const stored = this.#aheadEnd - this.#aheadStart;
    if (!(wanted > stored)) return;
    const larger = Buffer.allocUnsafe(wanted);
    this.#ahead.copy(larger, 0, this.#aheadStart, this.#aheadEnd);
    this.#ahead = larger;
    const fresh = larger.subarray(stored, wanted);
    if (rc4Kernel !== undefined && fresh.length >= KERNEL_MIN_BYTES) rc4Kernel.stream(this.#registers, fresh);
    else {
      fresh.fill(0);
      cryptInScript(this.#registers, fresh, fresh);
    }
    this.#aheadStart = 0;
    this.#aheadEnd = wanted;
  }

  #forgetAhead(): void {
    this.#ahead = NOTHING;
    this.#aheadStart = 0;
    this.#aheadEnd = 0;
  }

  #crypt(data: Uint8Array, out: Uint8Array): void {
    if (rc4Kernel !== undefined && data.length >= KERNEL_MIN_BYTES) rc4Kernel.crypt(this.#registers, data, out);
    else cryptInScript(this.#registers, data, out);
  }
}

/** RC4 byte by byte: for short inputs, and where the kernel cannot run (no WebAssembly or no vector instructions). */
export function cryptInScript(registers: Rc4Registers, data: Uint8Array, out: Uint8Array): void {
  const s = registers.state;
  const length = data.length;
  let i = registers.i;
  let j = registers.j;
  // The `?? 0`s only satisfy the index checks: every index here is within bounds.
  for (let n = 0; n < length; n++) {
    i = (i + 1) & 0xff;
    const si = s[i] ?? 0;
    j = (j + si) & 0xff;
    const sj = s[j] ?? 0;
    s[i] = sj;
    s[j] = si;
    out[n] = (data[n] ?? 0) ^ (s[(si + sj) & 0xff] ?? 0);
  }
  registers.i = i;
  registers.j = j;
}

/** RC4K: one-shot encryption with a fresh key schedule (MS-NLMP 6, used for the session key exchange). */
export function rc4k(key: Buffer, data: Buffer): Buffer {
  return new Rc4(key).process(data);
}
