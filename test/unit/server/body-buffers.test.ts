import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BodyBuffers } from '../../../server/body-buffers.js';

const KIB = 1024;

describe('BodyBuffers', () => {
  it('hands out buffers of exactly the size asked for', () => {
    const pool = new BodyBuffers();
    for (const size of [0, 1, 64 * KIB - 1, 64 * KIB, 150 * KIB, 512_000, KIB * KIB, KIB * KIB + 1, 16 * KIB * KIB]) {
      expect(pool.take(size).length).toBe(size);
    }
  });

  it('uses memory given back for the next large reply of its size class', () => {
    const pool = new BodyBuffers();
    const first = pool.take(500_000);
    expect(pool.owns(first)).toBe(true);
    pool.give(first);
    const second = pool.take(400_000);
    expect(second.buffer).toBe(first.buffer);
    // Taken again, it is no longer free: the next one is new memory.
    expect(pool.take(400_000).buffer).not.toBe(first.buffer);
  });

  it('keeps small bodies, foreign buffers and huge ones out of the pool', () => {
    const pool = new BodyBuffers();
    const small = pool.take(1000);
    const huge = pool.take(KIB * KIB + 1);
    const foreign = Buffer.alloc(500_000);
    for (const buffer of [small, huge, foreign]) {
      expect(pool.owns(buffer)).toBe(false);
      pool.give(buffer);
    }
    expect(pool.take(500_000).buffer).not.toBe(foreign.buffer);
  });

  it('never hands one buffer to two replies, even when it is given back twice', () => {
    const pool = new BodyBuffers();
    const buffer = pool.take(300_000);
    pool.give(buffer);
    pool.give(buffer);
    const a = pool.take(300_000);
    const b = pool.take(300_000);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('keeps at most four free buffers of a size class', () => {
    const pool = new BodyBuffers();
    const taken = Array.from({ length: 6 }, () => pool.take(200_000));
    for (const buffer of taken) pool.give(buffer);
    const again = Array.from({ length: 6 }, () => pool.take(200_000));
    const reused = again.filter((buffer) => taken.some((old) => old.buffer === buffer.buffer));
    expect(reused).toHaveLength(4);
  });
});

describe('BodyBuffers, memory held idle', () => {
  it('pools replies of up to 1 MiB only, so a rare large reply holds nothing idle nor crowds out the usual sizes', () => {
    const pool = new BodyBuffers();
    const large = pool.take(5 * KIB * KIB);
    expect(pool.owns(large)).toBe(false);
    pool.give(large);
    const usual = pool.take(600 * KIB);
    pool.give(usual);
    expect(pool.take(600 * KIB).buffer).toBe(usual.buffer);
    const largest = pool.take(KIB * KIB);
    pool.give(largest);
    expect(pool.take(KIB * KIB).buffer).toBe(largest.buffer);
  });
});

describe('BodyBuffers.giveBackWhenFinished', () => {
  it('gives a reply’s memory back only once its response has finished', () => {
    const pool = new BodyBuffers();
    const body = pool.take(500_000);
    const response = new EventEmitter();
    pool.giveBackWhenFinished(response, body);
    // Still being written: another reply must get other memory.
    expect(pool.take(500_000).buffer).not.toBe(body.buffer);
    response.emit('finish');
    expect(pool.take(500_000).buffer).toBe(body.buffer);
  });

  it('leaves the memory of a response cut short to the garbage collector', () => {
    const pool = new BodyBuffers();
    const body = pool.take(500_000);
    const response = new EventEmitter();
    pool.giveBackWhenFinished(response, body);
    response.emit('close');
    expect(pool.take(500_000).buffer).not.toBe(body.buffer);
  });
});
