import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WsmanFault } from '../../../protocol/wsman/fault.js';
import { ShellRegistry, type ShellRecord } from '../../../server/shell-registry.js';
import { ShellSession } from '../../../shell/index.js';

const log = pino({ level: 'silent' });

function record(id: string, owner: string, overrides: Partial<ShellRecord> = {}): ShellRecord {
  return {
    id,
    owner,
    clientIp: '192.0.2.10',
    resourceUri: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd',
    name: undefined,
    inputStreams: ['stdin'],
    outputStreams: ['stdout', 'stderr'],
    idleTimeoutMs: 60_000,
    lifetimeMs: 3_600_000,
    createdMs: 0,
    lastActivityMs: 0,
    activeRequests: 0,
    session: new ShellSession(id, { workingDirectory: tmpdir(), environment: {}, interpreter: ['/bin/sh', '-c'], maxBufferedBytes: 1024 }),
    ...overrides,
  };
}

function quotaFault(r: ShellRegistry, owner: string): string | undefined {
  try {
    r.checkQuota(owner);
    return undefined;
  } catch (error) {
    if (error instanceof WsmanFault) return error.fault;
    throw error;
  }
}

function operationFault(r: ShellRegistry, owner: string): string | undefined {
  try {
    r.beginOperation(owner)();
    return undefined;
  } catch (error) {
    if (error instanceof WsmanFault) return error.fault;
    throw error;
  }
}

const registries: ShellRegistry[] = [];

function registry(maxShellsPerUser = 100, maxConcurrentUsers = 100, now: () => number = Date.now): ShellRegistry {
  const r = new ShellRegistry({ maxShellsPerUser, maxConcurrentUsers }, log, now);
  registries.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.closeAll()));
  vi.useRealTimers();
});

describe('ShellRegistry', () => {
  it('finds a shell by id in any case, only for its owner in any case', () => {
    const r = registry();
    r.add(record('ABC-1', 'alice'));
    expect(r.has('abc-1')).toBe(true);
    expect(r.find('abc-1', 'ALICE')?.id).toBe('ABC-1');
    expect(r.find('ABC-1', 'bob')).toBeUndefined();
    expect(r.find('other', 'alice')).toBeUndefined();
    expect(r.size).toBe(1);
  });

  it('lists a user’s shells only', () => {
    const r = registry();
    r.add(record('a1', 'alice'));
    r.add(record('b1', 'bob'));
    r.add(record('a2', 'Alice'));
    expect(r.listFor('alice').map((s) => s.id)).toEqual(['a1', 'a2']);
    expect(r.listFor('carol')).toEqual([]);
  });

  it('enforces shells per user', () => {
    const r = registry(2);
    r.add(record('a1', 'alice'));
    expect(quotaFault(r, 'alice')).toBeUndefined();
    r.add(record('a2', 'alice'));
    expect(quotaFault(r, 'ALICE')).toBe('shellQuota');
    expect(quotaFault(r, 'bob')).toBeUndefined();
  });

  it('enforces concurrent users, but lets a user with shells open more', () => {
    const r = registry(100, 2);
    r.add(record('a1', 'alice'));
    r.add(record('b1', 'bob'));
    expect(quotaFault(r, 'carol')).toBe('userQuota');
    expect(quotaFault(r, 'alice')).toBeUndefined();
  });

  it('counts shells being created against both quotas, and frees their place when released', () => {
    const r = registry(1, 1);
    const release = r.reserve('a1', 'alice');
    expect(r.has('A1')).toBe(true);
    expect(quotaFault(r, 'alice')).toBe('shellQuota');
    expect(quotaFault(r, 'bob')).toBe('userQuota');
    release();
    expect(r.has('a1')).toBe(false);
    expect(quotaFault(r, 'bob')).toBeUndefined();
  });

  it('forgets a user’s place once their last shell is deleted', async () => {
    const r = registry(100, 1);
    r.add(record('a1', 'alice'));
    expect(quotaFault(r, 'bob')).toBe('userQuota');
    await r.delete('a1', 'test');
    expect(r.listFor('alice')).toEqual([]);
    expect(quotaFault(r, 'bob')).toBeUndefined();
  });

  it('counts a user’s operations in progress up to Service.MaxConcurrentOperationsPerUser', () => {
    const r = new ShellRegistry({ maxShellsPerUser: 1, maxConcurrentUsers: 1, maxOperationsPerUser: 2 }, log);
    registries.push(r);
    const first = r.beginOperation('alice');
    const second = r.beginOperation('ALICE');
    expect(operationFault(r, 'alice')).toBe('operationQuota');
    expect(() => r.beginOperation('bob')).not.toThrow();
    first();
    first();
    expect(() => r.beginOperation('alice')).not.toThrow();
    second();
  });

  it('deletes a shell and closes its session', async () => {
    const r = registry();
    const shell = record('a1', 'alice');
    r.add(shell);
    await r.delete('A1', 'test');
    expect(r.has('a1')).toBe(false);
    expect(shell.session.isClosed()).toBe(true);
    // Deleting again is harmless.
    await r.delete('a1', 'test');
  });

  it('closes every shell on closeAll', async () => {
    const r = registry();
    const shells = [record('a1', 'alice'), record('b1', 'bob')];
    for (const s of shells) r.add(s);
    await r.closeAll();
    expect(r.size).toBe(0);
    expect(shells.every((s) => s.session.isClosed())).toBe(true);
  });

  it('sweeps idle shells, sparing those with a request in progress', async () => {
    vi.useFakeTimers();
    let now = 0;
    const r = registry(100, 100, () => now);
    r.add(record('idle', 'alice', { idleTimeoutMs: 5_000 }));
    r.add(record('busy', 'alice', { idleTimeoutMs: 5_000, activeRequests: 1 }));
    r.add(record('fresh', 'alice', { idleTimeoutMs: 5_000, lastActivityMs: 4_000 }));
    now = 5_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.listFor('alice').map((s) => s.id)).toEqual(['busy', 'fresh']);
    now = 9_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.listFor('alice').map((s) => s.id)).toEqual(['busy']);
  });

  it('closes the expired shells of one sweep together, so that a close that hangs holds up no other', async () => {
    vi.useFakeTimers();
    let now = 0;
    const r = registry(100, 100, () => now);
    const closeCalls: string[] = [];
    let releaseHung: () => void = () => undefined;
    const hanging = (id: string): ShellSession => {
      const session = new ShellSession(id, { workingDirectory: tmpdir(), environment: {}, interpreter: ['/bin/sh', '-c'], maxBufferedBytes: 1024 });
      // A shell whose host does not answer: its close waits until the test lets it go.
      session.close = () => {
        closeCalls.push(id);
        return new Promise<void>((resolve) => {
          releaseHung = resolve;
        });
      };
      return session;
    };
    r.add(record('hung', 'alice', { idleTimeoutMs: 5_000, session: hanging('hung') }));
    const other = record('other', 'alice', { idleTimeoutMs: 5_000 });
    r.add(other);
    now = 5_000;
    // One sweep, and nothing more: the timer fires once.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(closeCalls).toEqual(['hung']);
    expect(other.session.isClosed()).toBe(true);
    expect(r.size).toBe(0);
    releaseHung();
  });

  it('sweeps a shell at the end of its lifetime, busy or not', async () => {
    vi.useFakeTimers();
    let now = 0;
    const r = registry(100, 100, () => now);
    r.add(record('old', 'alice', { lifetimeMs: 10_000, activeRequests: 1, idleTimeoutMs: 1e9 }));
    now = 9_999;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.has('old')).toBe(true);
    now = 10_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.has('old')).toBe(false);
  });
});
