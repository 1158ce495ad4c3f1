import { describe, expect, it } from 'vitest';
import { MemoryReplayCache } from '../../../../auth/kerberos/replay-cache.js';

describe('MemoryReplayCache', () => {
  it('remembers a key until it expires', () => {
    let now = 1_000;
    const cache = new MemoryReplayCache({ now: () => now });
    cache.add('a', 2_000);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    now = 2_000;
    expect(cache.has('a')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('stays within its bound: expired entries go first, then the oldest', () => {
    let now = 0;
    const cache = new MemoryReplayCache({ maxEntries: 3, now: () => now });
    cache.add('old', 10);
    cache.add('b', 100);
    cache.add('c', 100);
    now = 50;
    cache.add('d', 100); // 'old' has expired: it makes the room
    expect([cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([true, true, true]);
    cache.add('e', 100); // nothing expired: the oldest live entry ('b') is dropped
    expect(cache.size).toBe(3);
    expect([cache.has('b'), cache.has('c'), cache.has('d'), cache.has('e')]).toEqual([false, true, true, true]);
  });

  it('re-adding a key refreshes its place and expiry', () => {
    const cache = new MemoryReplayCache({ maxEntries: 2, now: () => 0 });
    cache.add('a', 10);
    cache.add('b', 10);
    cache.add('a', 20);
    cache.add('c', 10); // evicts 'b', the oldest after 'a' moved to the end
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });
});
