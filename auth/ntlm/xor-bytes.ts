/**
 * out[i] = data[i] ^ keyStream[i] for the first `length` bytes: the RC4 key stream made ahead of
 * time (rc4.ts, prepare) applied to a message, where the kernel's XOR (rc4-kernel.ts) is not used:
 * short runs, and where the kernel cannot run. A byte loop here runs no faster than RC4 itself, so
 * the work goes four bytes at a time when the three arrays can share 32-bit alignment; a message
 * whose bytes sit at another alignment than `out` is copied to `out` first (a memcpy) and XORed
 * there. `out` may be `data` itself.
 */
export function xorBytes(data: Uint8Array, keyStream: Uint8Array, out: Uint8Array, length: number): void {
  if (((out.byteOffset - keyStream.byteOffset) & 3) !== 0) {
    for (let n = 0; n < length; n++) out[n] = (data[n] ?? 0) ^ (keyStream[n] ?? 0);
    return;
  }
  let source = data;
  if (((data.byteOffset - out.byteOffset) & 3) !== 0) {
    out.set(data.subarray(0, length));
    source = out;
  }
  let n = 0;
  for (; n < length && ((out.byteOffset + n) & 3) !== 0; n++) out[n] = (source[n] ?? 0) ^ (keyStream[n] ?? 0);
  const words = (length - n) >> 2;
  if (words > 0) {
    const sourceWords = new Int32Array(source.buffer, source.byteOffset + n, words);
    const keyWords = new Int32Array(keyStream.buffer, keyStream.byteOffset + n, words);
    const outWords = new Int32Array(out.buffer, out.byteOffset + n, words);
    // The `?? 0`s only satisfy the index checks: every index here is within bounds.
    for (let w = 0; w < words; w++) outWords[w] = (sourceWords[w] ?? 0) ^ (keyWords[w] ?? 0);
    n += words * 4;
  }
  for (; n < length; n++) out[n] = (source[n] ?? 0) ^ (keyStream[n] ?? 0);
}
