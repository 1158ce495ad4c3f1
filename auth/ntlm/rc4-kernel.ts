/**
 * RC4's keystream loop compiled to WebAssembly, for long messages: about three times the speed of
 * the same loop in TypeScript on this project's machines (bench/rc4.bench.ts), which is what
 * capped NTLM-sealed throughput. Node's own OpenSSL offers RC4 only behind a process-wide flag.
 *
 * The module is the output of `wat2wasm` (Debian package wabt) for this text, embedded as base64;
 * to check or change it, compile the text and compare:
 *
 * ```wat
 * (module
 *   (memory (export "memory") 1)
 *   ;; State S at bytes 0..255; the data at 256..256+len, transformed in place.
 *   (func (export "crypt") (param $i i32) (param $j i32) (param $len i32) (result i32)
 *     (local $p i32) (local $end i32) (local $si i32) (local $sj i32)
 *     (local.set $p (i32.const 256))
 *     (local.set $end (i32.add (i32.const 256) (local.get $len)))
 *     (block $done
 *       (loop $next
 *         (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *         (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 255)))
 *         (local.set $si (i32.load8_u (local.get $i)))
 *         (local.set $j (i32.and (i32.add (local.get $j) (local.get $si)) (i32.const 255)))
 *         (local.set $sj (i32.load8_u (local.get $j)))
 *         (i32.store8 (local.get $i) (local.get $sj))
 *         (i32.store8 (local.get $j) (local.get $si))
 *         (i32.store8 (local.get $p)
 *           (i32.xor (i32.load8_u (local.get $p))
 *                    (i32.load8_u (i32.and (i32.add (local.get $si) (local.get $sj)) (i32.const 255)))))
 *         (local.set $p (i32.add (local.get $p) (i32.const 1)))
 *         (br $next)))
 *     ;; The indexes go back packed: i in bits 0-7, j in bits 8-15.
 *     (i32.or (local.get $i) (i32.shl (local.get $j) (i32.const 8)))))
 * ```
 */
const MODULE_BASE64 =
  'AGFzbQEAAAABCAFgA39/fwF/AwIBAAUDAQABBxICBm1lbW9yeQIABWNyeXB0AAAKegF4AQR/QYACIQNBgAIgAmohBAJAA0AgAyAETw0BIABBAWpB/wFxIQAgAC0AACEFIAEgBWpB/wFxIQEgAS0AACEGIAAgBjoAACABIAU6AAAgAyADLQAAIAUgBmpB/wFxLQAAczoAACADQQFqIQMMAAsLIAAgAUEIdHIL';

const STATE_BYTES = 256;
/** Data goes through the module's memory this many bytes at a time: one 64 KiB page beside the state. */
export const KERNEL_CHUNK_BYTES = 65536;

/** The few WebAssembly members used here; TypeScript's ES libraries do not declare the namespace. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** One RC4 state, as the kernel reads and leaves it. */
export interface Rc4Registers {
  readonly state: Uint8Array;
  i: number;
  j: number;
}

export interface Rc4Kernel {
  /** Runs the keystream over `data` into `out` (which may be `data`), updating `registers`. */
  crypt(registers: Rc4Registers, data: Uint8Array, out: Uint8Array): void;
}

function load(): Rc4Kernel | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  // Node without WebAssembly (--jitless) keeps the TypeScript loop.
  if (wasm === undefined) return undefined;
  const instance = new wasm.Instance(new wasm.Module(Buffer.from(MODULE_BASE64, 'base64')));
  const memory = instance.exports['memory'] as WasmMemory;
  const crypt = instance.exports['crypt'] as (i: number, j: number, length: number) => number;
  memory.grow(1);
  // Taken after the grow, which replaces the buffer; nothing grows it again.
  const bytes = new Uint8Array(memory.buffer);
  return {
    crypt(registers, data, out) {
      // The module is shared by every RC4 handle: each call brings its own state in and takes it back.
      bytes.set(registers.state, 0);
      let i = registers.i;
      let j = registers.j;
      for (let offset = 0; offset < data.length; offset += KERNEL_CHUNK_BYTES) {
        const chunk = data.subarray(offset, offset + KERNEL_CHUNK_BYTES);
        bytes.set(chunk, STATE_BYTES);
        const packed = crypt(i, j, chunk.length);
        i = packed & 0xff;
        j = (packed >>> 8) & 0xff;
        out.set(bytes.subarray(STATE_BYTES, STATE_BYTES + chunk.length), offset);
      }
      registers.state.set(bytes.subarray(0, STATE_BYTES));
      registers.i = i;
      registers.j = j;
    },
  };
}

export const rc4Kernel: Rc4Kernel | undefined = load();
