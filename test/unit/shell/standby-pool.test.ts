/**
 * When the shell host's standby pool (shell/standby-pool.ts) forks: once for a new shell, once
 * after each take (when the command that took it ends, or after a delay), never twice for one
 * take. The starts are counted through the pool's start function; each "standby" is a stand-in
 * that is never waiting, so nothing here runs a process.
 */
import { describe, expect, it } from 'vitest';

import { StandbyPool } from '../../../shell/standby-pool.js';
import { settings, waitFor } from './helpers.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function countingPool(refillDelayMs = 60_000): { pool: StandbyPool; starts: boolean[] } {
  const starts: boolean[] = [];
  const pool = new StandbyPool(
    (_settings, withConsole) => {
      starts.push(withConsole);
      return Promise.resolve(undefined);
    },
    60_000,
    refillDelayMs,
  );
  return { pool, starts };
}

describe('the standby pool', () => {
  it('starts one for a new shell after the current turn, with a console at first', async () => {
    const { pool, starts } = countingPool();
    pool.prepare(settings());
    expect(starts).toEqual([]);
    await nextTurn();
    expect(starts).toEqual([true]);
    // One of that kind is there (or starting): a second shell starts none.
    pool.prepare(settings());
    await nextTurn();
    expect(starts).toEqual([true]);
    await pool.close();
  });

  it('starts the next after a take only once a command ends, in the kind taken', async () => {
    const { pool, starts } = countingPool();
    await pool.take(settings(), false);
    await nextTurn();
    expect(starts).toEqual([]);
    pool.commandEnded();
    await nextTurn();
    expect(starts).toEqual([false]);
    // Nothing is owed any more.
    pool.commandEnded();
    await nextTurn();
    expect(starts).toEqual([false]);
    await pool.close();
  });

  it('starts the next a while after a take if no command ends', async () => {
    const { pool, starts } = countingPool(30);
    await pool.take(settings(), true);
    await waitFor(() => starts.length > 0, 'the start after the delay');
    expect(starts).toEqual([true]);
    await pool.close();
  });

  it("starts none for a new shell whose Command took the spare in the same turn: that take owes the next", async () => {
    const { pool, starts } = countingPool();
    pool.prepare(settings());
    const taking = pool.take(settings(), true);
    await taking;
    await nextTurn();
    expect(starts).toEqual([]);
    pool.commandEnded();
    await nextTurn();
    expect(starts).toEqual([true]);
    await pool.close();
  });

  it('starts nothing once closed', async () => {
    const { pool, starts } = countingPool();
    pool.prepare(settings());
    await pool.close();
    await pool.take(settings(), true);
    pool.commandEnded();
    await nextTurn();
    expect(starts).toEqual([]);
  });
});
