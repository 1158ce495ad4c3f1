import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { findDisallowedControlByte } from '../../../../protocol/xml/control-bytes.js';
import { NON_XML_CHARACTER } from '../../../../protocol/xml/xml-chars.js';
import { compileEmbeddedModule } from '../../../support/embedded-wasm.js';
import { prng } from '../../../support/prng.js';
import { REPO_ROOT } from '../../../support/server-process.js';

/** The vector scan, which every machine this project runs its tests on can run. */
function find(bytes: Uint8Array): number {
  if (findDisallowedControlByte === undefined) throw new Error('the vector scan did not load');
  return findDisallowedControlByte(bytes);
}

const DISALLOWED = [...Array(32).keys()].filter((byte) => byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);

/** Base64-like ASCII with the whitespace XML allows mixed in: what most request bodies look like. */
function asciiText(length: number, seed: number): Buffer {
  const random = prng(seed);
  const alphabet = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=<>"\t\n\r ');
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = alphabet[random.int(alphabet.length)] ?? 0x41;
  return bytes;
}

describe('findDisallowedControlByte', () => {
  it('is loaded on this machine', () => {
    expect(findDisallowedControlByte).toBeDefined();
  });

  it('is left out where the CPU lacks the vector instructions, and requests are then decoded as before', () => {
    // The built listener's module, in a node that may not use SSE4.1 (as under QEMU's default CPU).
    const module = pathToFileURL(join(REPO_ROOT, 'dist/server/request-text.js')).href;
    const kernel = pathToFileURL(join(REPO_ROOT, 'dist/protocol/xml/control-bytes.js')).href;
    const script = `
      const { decodeSoapBody } = await import(${JSON.stringify(module)});
      const { findDisallowedControlByte } = await import(${JSON.stringify(kernel)});
      const decoded = decodeSoapBody(Buffer.from('<a>ok</a>'), 'application/soap+xml;charset=UTF-8');
      console.log(JSON.stringify({ kernel: findDisallowedControlByte !== undefined, decoded }));`;
    const output = execFileSync(process.execPath, ['--no-enable-sse4-1', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ kernel: false, decoded: { text: '<a>ok</a>', charset: 'utf-8', charactersChecked: false } });
  });

  it('embeds the module its WebAssembly text compiles to', () => {
    const { embedded, compiled } = compileEmbeddedModule('protocol/xml/control-bytes.ts');
    expect(embedded.equals(compiled)).toBe(true);
  });

  it('finds nothing in text of printable ASCII, tabs and line ends, of any length', () => {
    for (const length of [0, 1, 15, 16, 17, 65_535, 65_536, 65_537, 200_003]) {
      expect(find(asciiText(length, length))).toBe(-1);
    }
  });

  it('finds every disallowed control byte, wherever it is', () => {
    // The last chunk is 8,935 bytes: its last 7 are past its last whole 16-byte block.
    const base = asciiText(140_007, 7);
    // Block edges, a 64 KB chunk's edges, and the bytes after the last whole block.
    const positions = [0, 1, 15, 16, 31, 4_097, 65_535, 65_536, 65_551, 131_072, base.length - 7, base.length - 1];
    for (const byte of DISALLOWED) {
      for (const position of positions) {
        const bytes = Buffer.from(base);
        bytes[position] = byte;
        expect(find(bytes), `byte ${byte} at ${position}`).toBe(position);
      }
    }
  });

  it('reports the first of several', () => {
    const bytes = asciiText(100_000, 3);
    bytes[70_000] = 0x1f;
    bytes[80_000] = 0x00;
    bytes[90_000] = 0x08;
    expect(find(bytes)).toBe(70_000);
  });

  it("agrees with the parser's own test of the text on arbitrary bytes, non-ASCII included", () => {
    const random = prng(42);
    for (let round = 0; round < 200; round++) {
      // Mostly high and printable bytes, so that a control byte is found at varied depths.
      const bytes = random.bytes(1 + random.int(3000)).map((byte) => (byte < 0x20 && random.int(40) > 0 ? byte | 0x40 : byte));
      const offset = random.int(8);
      const view = bytes.subarray(offset);
      // As Latin-1 every byte is one character: the pattern's first match is the first such byte.
      expect(find(view)).toBe(Buffer.from(view).toString('latin1').search(NON_XML_CHARACTER));
    }
  });
});
