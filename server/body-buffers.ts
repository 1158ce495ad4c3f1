import type { EventEmitter } from 'node:events';

/**
 * Memory for large request and reply bodies, used again once a reply has gone out or a request has
 * been handled. A stream of Receive replies of up to MaxEnvelopeSize each allocated half a
 * megabyte per reply, and a stream of Sends as much per request; V8 counts such buffers against
 * its heap limit, and with a small heap that started a full garbage collection every few messages:
 * the collector's threads then took as much CPU as the listener's own (stdout and stdin
 * benchmarks, `bench/README.md`). Small bodies are left to Node's own allocation and pool.
 *
 * A buffer handed out holds whatever its last user wrote; the caller writes every byte of it
 * before reading, exactly as with Buffer.allocUnsafe.
 */

/** Below this, Buffer.allocUnsafe is cheap and V8 hardly notices it. */
const MIN_POOLED_BYTES = 64 * 1024;
/**
 * Above this (MaxEnvelopeSizekb raised past its 500 KB default), a body is rare enough to allocate.
 * With FREE_PER_CLASS it bounds what the pool holds idle: 4 × (64 KiB + … + 1 MiB), under 8 MiB.
 */
const MAX_POOLED_BYTES = 1024 * 1024;
/** Free buffers kept per size class: enough for a few connections streaming at once. */
const FREE_PER_CLASS = 4;

export class BodyBuffers {
  /** Free memory by size class (a power of two). */
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** What this pool handed out, so that only its own memory comes back to it. */
  private readonly ours = new WeakSet<ArrayBuffer>();

  /** A buffer of exactly `size` bytes, uninitialised. */
  take(size: number): Buffer {
    if (size < MIN_POOLED_BYTES || size > MAX_POOLED_BYTES) return Buffer.allocUnsafe(size);
    const capacity = sizeClass(size);
    const memory = this.free.get(capacity)?.pop() ?? this.allocate(capacity);
    return Buffer.from(memory, 0, size);
  }

  /** Whether `buffer` is memory of this pool (small bodies never are). */
  owns(buffer: Buffer): boolean {
    return buffer.buffer instanceof ArrayBuffer && this.ours.has(buffer.buffer);
  }

  /**
   * Gives back a buffer that take() returned, once nothing reads it any more (a reply's last byte
   * was handed to the socket; a request's handler has finished). Anything else is ignored and left
   * to the garbage collector.
   */
  give(buffer: Buffer): void {
    if (!this.owns(buffer)) return;
    const memory = buffer.buffer as ArrayBuffer;
    const list = this.free.get(memory.byteLength) ?? [];
    // A buffer given back twice would be handed to two replies at once.
    if (list.length >= FREE_PER_CLASS || list.includes(memory)) return;
    list.push(memory);
    this.free.set(memory.byteLength, list);
  }

  /**
   * Gives `buffer` back once `response` has handed its last byte to the socket ('finish'). A
   * response cut short ('close' without 'finish') may still have a write in flight: its memory is
   * left to the garbage collector.
   */
  giveBackWhenFinished(response: Pick<EventEmitter, 'once'>, buffer: Buffer): void {
    if (!this.owns(buffer)) return;
    response.once('finish', () => {
      this.give(buffer);
    });
  }

  private allocate(capacity: number): ArrayBuffer {
    const memory = new ArrayBuffer(capacity);
    this.ours.add(memory);
    return memory;
  }
}

function sizeClass(size: number): number {
  return 2 ** Math.ceil(Math.log2(size));
}
