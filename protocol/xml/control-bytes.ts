/**
 * Finds the C0 control characters that XML 1.0 does not allow (all but tab, LF and CR) in the bytes
 * of a request, before they become text. In UTF-8 these characters are bytes of their own (no
 * byte of a multi-byte sequence is below 0x80), so an ASCII body with none of them holds only XML
 * characters, and the parser need not test its text again: for a 500 KB Send that test cost about
 * 0.45 ms, and this scan about 0.1 ms (bench/README.md, tenth run).
 *
 * The scan is WebAssembly with 128-bit vectors, output of `wat2wasm` (Debian package wabt) for
 * this text, embedded as base64; to check or change it, compile the text and compare:
 *
 * ```wat
 * (module
 *   (memory (export "memory") 1)
 *   ;; Whether byte $b is a C0 control character that XML 1.0 does not allow (all but tab, LF, CR).
 *   (func $disallowed (param $b i32) (result i32)
 *     (i32.and
 *       (i32.lt_u (local.get $b) (i32.const 32))
 *       (i32.and
 *         (i32.ne (local.get $b) (i32.const 9))
 *         (i32.and (i32.ne (local.get $b) (i32.const 10)) (i32.ne (local.get $b) (i32.const 13))))))
 *   ;; The first disallowed byte in $from..$to, or -1.
 *   (func $bytewise (param $from i32) (param $to i32) (result i32)
 *     (block $none
 *       (loop $next
 *         (br_if $none (i32.ge_u (local.get $from) (local.get $to)))
 *         (if (call $disallowed (i32.load8_u (local.get $from)))
 *           (then (return (local.get $from))))
 *         (local.set $from (i32.add (local.get $from) (i32.const 1)))
 *         (br $next)))
 *     (i32.const -1))
 *   ;; The index of the first disallowed byte in memory 0..$len, or -1: sixteen bytes at a time, and
 *   ;; only a block holding some byte below 0x20 (a line end, say) is looked at byte by byte.
 *   (func (export "find") (param $len i32) (result i32)
 *     (local $p i32) (local $blocksEnd i32) (local $found i32)
 *     (local.set $blocksEnd (i32.and (local.get $len) (i32.const -16)))
 *     (block $tail
 *       (loop $block
 *         (br_if $tail (i32.ge_u (local.get $p) (local.get $blocksEnd)))
 *         (if (v128.any_true (i8x16.lt_u (v128.load (local.get $p)) (i8x16.splat (i32.const 32))))
 *           (then
 *             (local.set $found (call $bytewise (local.get $p) (i32.add (local.get $p) (i32.const 16))))
 *             (if (i32.ge_s (local.get $found) (i32.const 0)) (then (return (local.get $found))))))
 *         (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *         (br $block)))
 *     (call $bytewise (local.get $p) (local.get $len))))
 * ```
 */
const MODULE_BASE64 = 'AGFzbQEAAAABDAJgAX8Bf2ACf38BfwMEAwABAAUDAQABBxECBm1lbW9yeQIABGZpbmQAAgqSAQMZACAAQSBJIABBCUcgAEEKRyAAQQ1HcXFxCycAAkADQCAAIAFPDQEgAC0AABAABEAgAA8LIABBAWohAAwACwtBfwtOAQN/IABBcHEhAgJAA0AgASACTw0BIAH9AAQAQSD9D/0m/VMEQCABIAFBEGoQASEDIANBAE4EQCADDwsLIAFBEGohAQwACwsgASAAEAEL';

/** Bytes go through the module's memory this many at a time: its one 64 KiB page. */
const CHUNK_BYTES = 65536;

/** The few WebAssembly members used here; TypeScript's ES libraries do not declare the namespace. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

type Finder = (bytes: Uint8Array) => number;

function load(): Finder | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  // Node without WebAssembly (--jitless).
  if (wasm === undefined) return undefined;
  let memory: Uint8Array;
  let find: (length: number) => number;
  try {
    const instance = new wasm.Instance(new wasm.Module(Buffer.from(MODULE_BASE64, 'base64')));
    memory = new Uint8Array((instance.exports['memory'] as { readonly buffer: ArrayBuffer }).buffer);
    find = instance.exports['find'] as (length: number) => number;
    // V8 compiles 128-bit vector code only for a CPU that has the instructions (SSE4.1 on x86-64),
    // and may compile a function at its first call: a call here makes any refusal happen now.
    find(16);
  } catch {
    return undefined;
  }
  return (bytes) => {
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
      memory.set(chunk, 0);
      const found = find(chunk.length);
      if (found >= 0) return offset + found;
    }
    return -1;
  };
}

/**
 * The index of the first control byte XML does not allow in `bytes`, or -1 when there is none.
 * Undefined where the vector kernel cannot run (no WebAssembly, or a CPU without the vector
 * instructions V8 needs): there the caller tests the text as before, which is faster than any
 * byte loop in JavaScript.
 */
export const findDisallowedControlByte: Finder | undefined = load();
