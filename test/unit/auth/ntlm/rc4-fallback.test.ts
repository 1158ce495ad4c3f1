/**
 * RC4 where the WebAssembly kernel cannot run (`node --jitless` has no WebAssembly): the script
 * loops alone, with key stream made ahead and XORed at every alignment, must give the cipher's
 * bytes. Run in a child node on the built module, since the kernel is chosen once at load.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/server-process.js';

/** Reference RC4 written out once more, random prepare() calls, sizes across the kernel's thresholds. */
const SCRIPT = `
const { Rc4 } = await import(process.argv[1]);
const { rc4Kernel } = await import(process.argv[2]);
let seed = 7;
const random = (n) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
const key = Buffer.from('fallback key 16b');
const s = new Uint8Array(256); for (let i = 0; i < 256; i++) s[i] = i;
for (let i = 0, j = 0; i < 256; i++) { j = (j + s[i] + key[i % key.length]) & 255; [s[i], s[j]] = [s[j], s[i]]; }
let ri = 0, rj = 0;
const reference = (data) => Buffer.from(data.map((byte) => { ri = (ri + 1) & 255; rj = (rj + s[ri]) & 255; [s[ri], s[rj]] = [s[rj], s[ri]]; return byte ^ s[(s[ri] + s[rj]) & 255]; }));
const handle = new Rc4(key);
let checked = 0;
for (let step = 0; step < 60; step++) {
  if (random(2) === 0) handle.prepare(random(3) === 0 ? 70000 + random(3000) : random(3000));
  const length = random(4) === 0 ? 66000 + random(5000) : random(2500);
  const at = random(4);
  const data = Buffer.alloc(length + 8, step).subarray(at, at + length);
  const outAt = random(4);
  const out = Buffer.alloc(length + 8).subarray(outAt, outAt + length);
  if (!handle.process(data, out).equals(reference(data))) throw new Error('step ' + step + ': wrong bytes');
  checked += length;
}
console.log(JSON.stringify({ kernel: rc4Kernel !== undefined, checked }));
`;

describe('RC4 without the WebAssembly kernel', () => {
  it('gives the cipher’s bytes from the script loops, made ahead or not, at any alignment', () => {
    const module = (path: string): string => pathToFileURL(join(REPO_ROOT, 'dist', 'auth', 'ntlm', path)).href;
    const output = execFileSync(process.execPath, ['--jitless', '--input-type=module', '-e', SCRIPT, module('rc4.js'), module('rc4-kernel.js')], {
      encoding: 'utf8',
    });
    const result = JSON.parse(output) as { kernel: boolean; checked: number };
    expect(result.kernel).toBe(false);
    expect(result.checked).toBeGreaterThan(200_000);
  }, 60_000);
});
