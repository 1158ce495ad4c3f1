/** The RC4 before issue #9's speed work, kept as the baseline row of bench/rc4.bench.ts. */
export class Rc4Baseline {
  readonly #state = new Uint8Array(256);
  #i = 0;
  #j = 0;

  /** RC4Init: the key-scheduling algorithm. Keys of 1 to 256 bytes. */
  constructor(key: Buffer) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4 key must be 1 to 256 bytes');
    const s = this.#state;
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
   * call stopped: NTLM seals a message and then its checksum with one persistent handle.
   */
  process(data: Buffer): Buffer {
    const s = this.#state;
    const out = Buffer.alloc(data.length);
    let i = this.#i;
    let j = this.#j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i] ?? 0;
      j = (j + si) & 0xff;
      const sj = s[j] ?? 0;
      s[i] = sj;
      s[j] = si;
      out[n] = (data[n] ?? 0) ^ (s[(si + sj) & 0xff] ?? 0);
    }
    this.#i = i;
    this.#j = j;
    return out;
  }
}
