import type { ShellHandle } from '../shell/index.js';
import type { StreamCompression } from './stream-compression.js';
import { WsmanFault } from '../protocol/wsman/fault.js';
import type { Logger } from './logger.js';
import { sameAccount } from './principal.js';

/** A live shell and what WinRS reports about it. */
export interface ShellRecord {
  readonly id: string;
  readonly owner: string;
  readonly clientIp: string;
  readonly resourceUri: string;
  readonly name: string | undefined;
  readonly inputStreams: readonly string[];
  readonly outputStreams: readonly string[];
  /** rsp:CompressionType from the Create: Send and Receive payloads travel xpress-framed. */
  readonly compression?: StreamCompression | undefined;
  readonly idleTimeoutMs: number;
  /** Deleted at this age whatever it is doing (Lifetime, capped by Winrs.MaxShellRunTime). */
  readonly lifetimeMs: number;
  readonly createdMs: number;
  lastActivityMs: number;
  /** Requests in progress on the shell; a shell waiting in a Receive is not idle. */
  activeRequests: number;
  /** The shell's processes: a proxy for its shell host (host/remote-shell.ts), or a ShellSession. */
  readonly session: ShellHandle;
}

export interface ShellLimits {
  readonly maxShellsPerUser: number;
  readonly maxConcurrentUsers: number;
  /** Service.MaxConcurrentOperationsPerUser: requests one user may have in progress at once. */
  readonly maxOperationsPerUser?: number;
}

/** How often idle and over-age shells are looked for. */
const SWEEP_INTERVAL_MS = 1000;

/**
 * Every open shell, by ShellId, and by owner (so that quotas and listings cost a user's own
 * shells, never a scan of everyone's). Lookups take the caller's account: another user's shell
 * is reported exactly as a missing one, so shells cannot even be probed across users.
 */
export class ShellRegistry {
  private readonly shells = new Map<string, ShellRecord>();
  /** Lower-cased owner -> that owner's shells by key. */
  private readonly byOwner = new Map<string, Map<string, ShellRecord>>();
  /** Lower-cased owner -> ids of shells being created (counted by the quotas, not yet listed). */
  private readonly reserved = new Map<string, Set<string>>();
  /** Lower-cased owner -> requests in progress (Service.MaxConcurrentOperationsPerUser). */
  private readonly operations = new Map<string, number>();
  private readonly reservedIds = new Set<string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limits: ShellLimits,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /** Refuses over quota with the fault Windows gives, before any process is started. */
  checkQuota(owner: string): void {
    const k = ownerKey(owner);
    const own = (this.byOwner.get(k)?.size ?? 0) + (this.reserved.get(k)?.size ?? 0);
    if (own >= this.limits.maxShellsPerUser) throw new WsmanFault('shellQuota', [], `${owner} has ${own} shells (Winrs.MaxShellsPerUser)`);
    if (own === 0) {
      let users = this.byOwner.size;
      for (const other of this.reserved.keys()) if (!this.byOwner.has(other)) users += 1;
      if (users >= this.limits.maxConcurrentUsers) throw new WsmanFault('userQuota', [], `${users} users have shells (Winrs.MaxConcurrentUsers)`);
    }
  }

  /**
   * Holds a place for a shell being created (its id taken, counted by the quotas) until the
   * returned function is called, which the creator does just before add() or on failure.
   */
  reserve(id: string, owner: string): () => void {
    const k = ownerKey(owner);
    let ids = this.reserved.get(k);
    if (ids === undefined) {
      ids = new Set();
      this.reserved.set(k, ids);
    }
    ids.add(key(id));
    this.reservedIds.add(key(id));
    return () => {
      ids.delete(key(id));
      this.reservedIds.delete(key(id));
      if (ids.size === 0 && this.reserved.get(k) === ids) this.reserved.delete(k);
    };
  }

  /**
   * Counts a request of `owner` as in progress until the returned function is called; refuses it
   * with Windows' fault when the user already has Service.MaxConcurrentOperationsPerUser.
   */
  beginOperation(owner: string): () => void {
    const key = ownerKey(owner);
    const current = this.operations.get(key) ?? 0;
    const limit = this.limits.maxOperationsPerUser ?? Infinity;
    if (current >= limit) throw new WsmanFault('operationQuota', [], `${owner} has ${current} operations in progress (Service.MaxConcurrentOperationsPerUser)`);
    this.operations.set(key, current + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.operations.get(key) ?? 1) - 1;
      if (left <= 0) this.operations.delete(key);
      else this.operations.set(key, left);
    };
  }

  has(id: string): boolean {
    return this.shells.has(key(id)) || this.reservedIds.has(key(id));
  }

  add(record: ShellRecord): void {
    this.shells.set(key(record.id), record);
    const owner = ownerKey(record.owner);
    let own = this.byOwner.get(owner);
    if (own === undefined) {
      own = new Map();
      this.byOwner.set(owner, own);
    }
    own.set(key(record.id), record);
  }

  find(id: string, owner: string): ShellRecord | undefined {
    const record = this.shells.get(key(id));
    return record !== undefined && sameAccount(record.owner, owner) ? record : undefined;
  }

  listFor(owner: string): ShellRecord[] {
    return [...(this.byOwner.get(ownerKey(owner))?.values() ?? [])];
  }

  get size(): number {
    return this.shells.size;
  }

  /** Commands, across every shell, whose exit code has not been handed out yet (for the metrics). */
  get commandCount(): number {
    let count = 0;
    for (const record of this.shells.values()) count += record.session.commandCount;
    return count;
  }

  /** Ends the shell and every process in it. */
  async delete(id: string, reason: string): Promise<void> {
    const record = this.remove(id);
    if (record === undefined) return;
    this.log.info({ event: 'shell-deleted', shellId: record.id, user: record.owner, reason }, 'shell deleted');
    await record.session.close();
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.shells.keys()].map((id) => this.delete(id, 'service stopping')));
  }

  private remove(id: string): ShellRecord | undefined {
    const record = this.shells.get(key(id));
    if (record === undefined) return undefined;
    this.shells.delete(key(id));
    const owner = ownerKey(record.owner);
    const own = this.byOwner.get(owner);
    own?.delete(key(id));
    if (own?.size === 0) this.byOwner.delete(owner);
    return record;
  }

  /**
   * Closes every expired shell at once: one close that waits (its host hangs until it is killed)
   * must not hold up the rest, nor the next sweep, which finds these already gone from the map.
   */
  private async sweep(): Promise<void> {
    const nowMs = this.now();
    const closing: Promise<void>[] = [];
    for (const record of [...this.shells.values()]) {
      if (nowMs - record.createdMs >= record.lifetimeMs) closing.push(this.delete(record.id, 'lifetime reached'));
      else if (record.activeRequests === 0 && nowMs - record.lastActivityMs >= record.idleTimeoutMs) {
        closing.push(this.delete(record.id, 'idle timeout'));
      }
    }
    const results = await Promise.allSettled(closing);
    for (const result of results) {
      if (result.status === 'rejected') this.log.warn({ event: 'shell-close-failed', err: result.reason }, 'an expired shell did not close cleanly');
    }
  }
}

/** GUIDs come back from clients in either case. */
function key(id: string): string {
  return id.toLowerCase();
}

/** Account names compare without case, as on Windows (principal.ts). */
function ownerKey(owner: string): string {
  return owner.toLowerCase();
}
