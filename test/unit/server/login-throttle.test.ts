import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../server/login-throttle.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function throttle(now: () => number, maxTracked = 10_000): LoginThrottle {
  // 5 free attempts, 250 ms base, 10 s ceiling, forget after 15 minutes.
  return new LoginThrottle(5, 250, 10_000, 15 * 60_000, maxTracked, now);
}

function fail(t: LoginThrottle, address: string, times: number): void {
  for (let i = 0; i < times; i++) t.recordFailure(address);
}

describe('LoginThrottle', () => {
  it('does not delay an address it has never seen', () => {
    expect(throttle(manualClock().now).delayFor('192.0.2.1')).toBe(0);
  });

  it.each([
    [0, 0],
    [1, 0],
    [4, 0],
    [5, 250],
    [6, 500],
    [7, 1_000],
    [8, 2_000],
    [9, 4_000],
    [10, 8_000],
    [11, 10_000],
    [12, 10_000],
    [40, 10_000],
  ])('after %d failures delays the next attempt %d ms', (failures, delay) => {
    const t = throttle(manualClock().now);
    fail(t, '192.0.2.1', failures);
    expect(t.delayFor('192.0.2.1')).toBe(delay);
  });

  it('uses its defaults: five free attempts, 250 ms doubling to 10 s', () => {
    const t = new LoginThrottle();
    fail(t, 'a', 4);
    expect(t.delayFor('a')).toBe(0);
    t.recordFailure('a');
    expect(t.delayFor('a')).toBe(250);
    fail(t, 'a', 100);
    expect(t.delayFor('a')).toBe(10_000);
  });

  it('keeps addresses apart', () => {
    const t = throttle(manualClock().now);
    fail(t, '192.0.2.1', 8);
    expect(t.delayFor('192.0.2.1')).toBe(2_000);
    expect(t.delayFor('192.0.2.2')).toBe(0);
  });

  it('clears an address on success', () => {
    const t = throttle(manualClock().now);
    fail(t, '192.0.2.1', 9);
    t.recordSuccess('192.0.2.1');
    expect(t.delayFor('192.0.2.1')).toBe(0);
    // Counting starts again from zero.
    fail(t, '192.0.2.1', 5);
    expect(t.delayFor('192.0.2.1')).toBe(250);
  });

  it('forgets an address after a quiet spell, counted from its last failure', () => {
    const clock = manualClock();
    const t = throttle(clock.now);
    fail(t, '192.0.2.1', 7);
    clock.advance(10 * 60_000);
    t.recordFailure('192.0.2.1');
    clock.advance(15 * 60_000);
    // Exactly the forget interval since the last failure: still remembered.
    expect(t.delayFor('192.0.2.1')).toBe(2_000);
    clock.advance(1);
    expect(t.delayFor('192.0.2.1')).toBe(0);
    // And it stays forgotten: a single new failure is free again.
    t.recordFailure('192.0.2.1');
    expect(t.delayFor('192.0.2.1')).toBe(0);
  });

  it('tracks at most maxTracked addresses, dropping the least recently failed', () => {
    const t = throttle(manualClock().now, 3);
    fail(t, 'a', 6);
    fail(t, 'b', 6);
    fail(t, 'c', 6);
    // a failed again most recently, so b is now the oldest.
    t.recordFailure('a');
    fail(t, 'd', 6);
    expect(t.delayFor('a')).toBe(1_000);
    expect(t.delayFor('b')).toBe(0);
    expect(t.delayFor('c')).toBe(500);
    expect(t.delayFor('d')).toBe(500);
  });

  it('never returns a delay above the ceiling however many failures', () => {
    const t = new LoginThrottle(0, 1, 5_000, 60_000, 10, manualClock().now);
    fail(t, 'a', 10_000);
    expect(t.delayFor('a')).toBe(5_000);
  });
});
