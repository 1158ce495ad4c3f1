import { describe, expect, it } from 'vitest';
import { KERNEL_CHUNK_BYTES, rc4Kernel, type Rc4Registers } from '../../../../auth/ntlm/rc4-kernel.js';
import { Rc4, cryptInScript } from '../../../../auth/ntlm/rc4.js';
import { compileEmbeddedModule } from '../../../support/embedded-wasm.js';

function registersFor(key: Buffer): Rc4Registers {
  // RC4Init written out again, so that both loops start from a state neither of them made.
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  let j = 0;
  for (let i = 0; i < 256; i++) {
    const si = s[i] ?? 0;
    j = (j + si + (key[i % key.length] ?? 0)) & 0xff;
    s[i] = s[j] ?? 0;
    s[j] = si;
  }
  return { state: s, i: 0, j: 0 };
}

function patterned(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 131 + seed) & 0xff;
  return data;
}

describe('the WebAssembly RC4 kernel', () => {
  it('is loaded on this Node', () => {
    expect(rc4Kernel).toBeDefined();
  });

  it('embeds the module its WebAssembly text compiles to', () => {
    const { embedded, compiled } = compileEmbeddedModule('auth/ntlm/rc4-kernel.ts');
    expect(embedded.equals(compiled)).toBe(true);
  });

  it.each([1, 511, 512, 4096, KERNEL_CHUNK_BYTES - 1, KERNEL_CHUNK_BYTES, KERNEL_CHUNK_BYTES + 1, 3 * KERNEL_CHUNK_BYTES + 77])(
    'gives the script loop’s bytes and state for %i bytes',
    (length) => {
      const key = Buffer.from('a session key 16');
      const data = patterned(length, 17);
      const viaKernel = registersFor(key);
      const viaScript = registersFor(key);
      const kernelOut = Buffer.alloc(length);
      const scriptOut = Buffer.alloc(length);
      rc4Kernel?.crypt(viaKernel, data, kernelOut);
      cryptInScript(viaScript, data, scriptOut);
      expect(kernelOut.equals(scriptOut)).toBe(true);
      expect([viaKernel.i, viaKernel.j, Buffer.from(viaKernel.state)]).toEqual([viaScript.i, viaScript.j, Buffer.from(viaScript.state)]);
    },
  );

  it.each([1, 15, 16, 17, 4096, KERNEL_CHUNK_BYTES - 1, KERNEL_CHUNK_BYTES + 1, 2 * KERNEL_CHUNK_BYTES + 5])(
    'streams the script loop’s key stream, and leaves its state, for %i bytes',
    (length) => {
      const key = Buffer.from('another key');
      const viaKernel = registersFor(key);
      const viaScript = registersFor(key);
      // Poisoned output: every byte must be written, none read.
      const kernelOut = Buffer.alloc(length, 0xa5);
      const scriptOut = Buffer.alloc(length);
      rc4Kernel?.stream(viaKernel, kernelOut);
      cryptInScript(viaScript, Buffer.alloc(length), scriptOut);
      expect(kernelOut.equals(scriptOut)).toBe(true);
      expect([viaKernel.i, viaKernel.j, Buffer.from(viaKernel.state)]).toEqual([viaScript.i, viaScript.j, Buffer.from(viaScript.state)]);
    },
  );

  it.each([1, 15, 16, 17, 1000, KERNEL_CHUNK_BYTES - 3, KERNEL_CHUNK_BYTES + 19, 3 * KERNEL_CHUNK_BYTES])(
    'XORs %i bytes at every relative alignment, within longer views, in place too',
    (length) => {
      for (let shift = 0; shift < 4; shift++) {
        const data = patterned(length + 8, shift).subarray(shift, shift + length);
        const keyStream = patterned(length + 8, 101).subarray(3 - shift, 3 - shift + length);
        const expected = Buffer.from(data.map((byte, n) => byte ^ (keyStream[n] ?? 0)));
        const outBuffer = Buffer.alloc(length + 8, 0xee);
        rc4Kernel?.xor(data, keyStream, outBuffer.subarray(1, 1 + length), length);
        expect(outBuffer.subarray(1, 1 + length).equals(expected)).toBe(true);
        // Nothing written beyond `length`.
        expect([outBuffer[0], outBuffer[1 + length]]).toEqual([0xee, 0xee]);
        rc4Kernel?.xor(data, keyStream, data, length);
        expect(data.equals(expected)).toBe(true);
      }
    },
  );

  it('keeps two interleaved handles apart, as a connection’s send and receive streams are', () => {
    const a = new Rc4(Buffer.from('key A'));
    const b = new Rc4(Buffer.from('key B'));
    const referenceA = registersFor(Buffer.from('key A'));
    const referenceB = registersFor(Buffer.from('key B'));
    for (const length of [2000, 8, 70_000, 600, 3]) {
      const data = patterned(length, length);
      const expectedA = Buffer.alloc(length);
      const expectedB = Buffer.alloc(length);
      cryptInScript(referenceA, data, expectedA);
      cryptInScript(referenceB, data, expectedB);
      expect(a.process(data).equals(expectedA)).toBe(true);
      expect(b.process(data).equals(expectedB)).toBe(true);
    }
  });

  it('works in place', () => {
    const data = patterned(10_000, 3);
    const expected = new Rc4(Buffer.from('k')).process(data);
    const handle = new Rc4(Buffer.from('k'));
    expect(handle.process(data, data)).toBe(data);
    expect(data.equals(expected)).toBe(true);
  });
});
