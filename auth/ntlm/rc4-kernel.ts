/**
 * RC4's key stream, and the XOR that applies it, in WebAssembly for long messages. Node's own
 * OpenSSL offers RC4 only behind a process-wide flag. The loop keeps the state as 32-bit words
 * holding 4·S[k], so that every value read is already the offset of the slot it names: about 1.5
 * times the speed of a byte-state loop here, near OpenSSL's own assembly (`openssl speed -evp rc4`
 * with the legacy provider); the XOR goes sixteen bytes at a time, three times the speed of the
 * best JavaScript loop (bench/README.md, eighteenth run).
 *
 * The module is the output of `wat2wasm` (Debian package wabt) for this text, embedded as base64;
 * to check or change it, compile the text and compare:
 *
 * ```wat
 * (module
 *   (memory (export "memory") 3)
 *   ;; Bytes 0..1023: the state, S[k] kept as the i32 4·S[k] at offset 4·k, so that a value read is
 *   ;; already the offset of the slot it names (no shifts in the loop). $i and $j come and go as 4·i
 *   ;; and 4·j, packed 4·i | 4·j << 16. Two 64 KiB areas follow: A at 1024 and B at 66560.
 *   ;; $len key stream bytes written from offset $to.
 *   (func $stream (export "stream") (param $i i32) (param $j i32) (param $to i32) (param $len i32) (result i32)
 *     (local $end i32) (local $si i32) (local $sj i32)
 *     (local.set $end (i32.add (local.get $to) (local.get $len)))
 *     (block $done
 *       (loop $next
 *         (br_if $done (i32.ge_u (local.get $to) (local.get $end)))
 *         (local.set $i (i32.and (i32.add (local.get $i) (i32.const 4)) (i32.const 1020)))
 *         (local.set $si (i32.load (local.get $i)))
 *         (local.set $j (i32.and (i32.add (local.get $j) (local.get $si)) (i32.const 1020)))
 *         (local.set $sj (i32.load (local.get $j)))
 *         (i32.store (local.get $i) (local.get $sj))
 *         (i32.store (local.get $j) (local.get $si))
 *         (i32.store8 (local.get $to)
 *           (i32.shr_u (i32.load (i32.and (i32.add (local.get $si) (local.get $sj)) (i32.const 1020))) (i32.const 2)))
 *         (local.set $to (i32.add (local.get $to) (i32.const 1)))
 *         (br $next)))
 *     (i32.or (local.get $i) (i32.shl (local.get $j) (i32.const 16))))
 *   ;; A[0..$len) ^= B[0..$len): sixteen bytes at a time, then the rest byte by byte.
 *   (func $xor (export "xor") (param $len i32)
 *     (local $p i32) (local $end i32)
 *     (local.set $p (i32.const 1024))
 *     (local.set $end (i32.add (i32.const 1024) (i32.and (local.get $len) (i32.const -16))))
 *     (block $blocksDone
 *       (loop $block
 *         (br_if $blocksDone (i32.ge_u (local.get $p) (local.get $end)))
 *         (v128.store (local.get $p)
 *           (v128.xor (v128.load (local.get $p)) (v128.load offset=65536 (local.get $p))))
 *         (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *         (br $block)))
 *     (local.set $end (i32.add (i32.const 1024) (local.get $len)))
 *     (block $done
 *       (loop $byte
 *         (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *         (i32.store8 (local.get $p)
 *           (i32.xor (i32.load8_u (local.get $p)) (i32.load8_u offset=65536 (local.get $p))))
 *         (local.set $p (i32.add (local.get $p) (i32.const 1)))
 *         (br $byte))))
 *   ;; RC4 over A[0..$len) in place: the key stream into B, then A ^= B.
 *   (func (export "crypt") (param $i i32) (param $j i32) (param $len i32) (result i32)
 *     (local $packed i32)
 *     (local.set $packed (call $stream (local.get $i) (local.get $j) (i32.const 66560) (local.get $len)))
 *     (call $xor (local.get $len))
 *     (local.get $packed)))
 * ```
 */
const MODULE_BASE64 =
  'AGFzbQEAAAABFANgBH9/f38Bf2ABfwBgA39/fwF/AwQDAAECBQMBAAMHIQQGbWVtb3J5AgAGc3RyZWFtAAADeG9yAAEFY3J5cHQAAgr7AQNvAQN/IAIgA2ohBAJAA0AgAiAETw0BIABBBGpB/AdxIQAgACgCACEFIAEgBWpB/AdxIQEgASgCACEGIAAgBjYCACABIAU2AgAgAiAFIAZqQfwHcSgCAEECdjoAACACQQFqIQIMAAsLIAAgAUEQdHILcAECf0GACCEBQYAIIABBcHFqIQICQANAIAEgAk8NASABIAH9AAQAIAH9AASAgAT9Uf0LBAAgAUEQaiEBDAALC0GACCAAaiECAkADQCABIAJPDQEgASABLQAAIAEtAICABHM6AAAgAUEBaiEBDAALCwsYAQF/IAAgAUGAiAQgAhAAIQMgAhABIAML';

/** Data goes through the module's memory this many bytes at a time: the size of each of its two areas. */
export const KERNEL_CHUNK_BYTES = 65536;
const AREA_A = 1024;
const AREA_B = AREA_A + KERNEL_CHUNK_BYTES;

/** The few WebAssembly members used here; TypeScript's ES libraries do not declare the namespace. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

/** One RC4 state, as the kernel reads and leaves it. */
export interface Rc4Registers {
  readonly state: Uint8Array;
  i: number;
  j: number;
}

export interface Rc4Kernel {
  /** Runs the key stream over `data` into `out` (which may be `data`), updating `registers`. */
  crypt(registers: Rc4Registers, data: Uint8Array, out: Uint8Array): void;
  /** Writes the next `out.length` bytes of key stream into `out`, updating `registers`. */
  stream(registers: Rc4Registers, out: Uint8Array): void;
  /** out[n] = data[n] ^ keyStream[n] for n below `length`; `out` may be `data`. */
  xor(data: Uint8Array, keyStream: Uint8Array, out: Uint8Array, length: number): void;
}

type PackedRun = (i: number, j: number, length: number) => number;

function load(): Rc4Kernel | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  // Node without WebAssembly (--jitless) keeps the TypeScript loops; so does a CPU without the
  // 128-bit vector instructions (below), for the whole module: no x86-64 CPU that runs Node 20 lacks them.
  if (wasm === undefined) return undefined;
  let memory: ArrayBuffer;
  let crypt: PackedRun;
  let stream: (i: number, j: number, to: number, length: number) => number;
  let xor: (length: number) => void;
  try {
    const instance = new wasm.Instance(new wasm.Module(Buffer.from(MODULE_BASE64, 'base64')));
    memory = (instance.exports['memory'] as { readonly buffer: ArrayBuffer }).buffer;
    crypt = instance.exports['crypt'] as PackedRun;
    stream = instance.exports['stream'] as typeof stream;
    xor = instance.exports['xor'] as typeof xor;
    // V8 compiles 128-bit vector code only for a CPU that has the instructions (SSE4.1 on x86-64),
    // and may compile a function at its first call: a call here makes any refusal happen now.
    xor(16);
  } catch {
    return undefined;
  }
  // Nothing grows the memory, so these views stay valid.
  const bytes = new Uint8Array(memory);
  // WebAssembly memory is little-endian whatever the host's order: the state's words go through a
  // DataView that says so (an Int32Array would swap every slot on a big-endian host).
  const slots = new DataView(memory, 0, 1024);

  // The module is shared by every RC4 handle: each call brings its own state in and takes it back.
  const enter = (registers: Rc4Registers): number => {
    const state = registers.state;
    for (let k = 0; k < 256; k++) slots.setInt32(4 * k, (state[k] ?? 0) << 2, true);
    return (registers.i << 2) | (registers.j << 18);
  };
  const leave = (registers: Rc4Registers, packed: number): void => {
    const state = registers.state;
    for (let k = 0; k < 256; k++) state[k] = slots.getInt32(4 * k, true) >> 2;
    registers.i = (packed & 0xffff) >> 2;
    registers.j = packed >>> 18;
  };
  const inChunks = (length: number, run: (offset: number, size: number) => void): void => {
    for (let offset = 0; offset < length; offset += KERNEL_CHUNK_BYTES) run(offset, Math.min(KERNEL_CHUNK_BYTES, length - offset));
  };

  return {
    crypt(registers, data, out) {
      let packed = enter(registers);
      inChunks(data.length, (offset, size) => {
        bytes.set(data.subarray(offset, offset + size), AREA_A);
        packed = crypt(packed & 0xffff, packed >>> 16, size);
        out.set(bytes.subarray(AREA_A, AREA_A + size), offset);
      });
      leave(registers, packed);
    },
    stream(registers, out) {
      let packed = enter(registers);
      inChunks(out.length, (offset, size) => {
        packed = stream(packed & 0xffff, packed >>> 16, AREA_A, size);
        out.set(bytes.subarray(AREA_A, AREA_A + size), offset);
      });
      leave(registers, packed);
    },
    xor(data, keyStream, out, length) {
      inChunks(length, (offset, size) => {
        bytes.set(data.subarray(offset, offset + size), AREA_A);
        bytes.set(keyStream.subarray(offset, offset + size), AREA_B);
        xor(size);
        out.set(bytes.subarray(AREA_A, AREA_A + size), offset);
      });
    },
  };
}

export const rc4Kernel: Rc4Kernel | undefined = load();
