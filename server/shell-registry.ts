import type { ShellSession } from '../shell/index.js';
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
  readonly idleTimeoutMs: number;
  /** Deleted at this age whatever it is doing (Lifetime, capped by Winrs.MaxShellRunTime). */
  readonly lifetimeMs: number;
  readonly createdMs: number;
  lastActivityMs: number;
  /** Requests in progress on the shell; a shell waiting in a Receive is not idle. */
  activeRequests: number;
  readonly session: ShellSession;
}

export interface ShellLimits {
  readonly maxShellsPerUser: number;
  readonly maxConcurrentUsers: number;
}

/** How often idle and over-age shells are looked for. */
const SWEEP_INTERVAL_MS = 1000;

/**
 * Every open shell, by ShellId. Lookups take the caller's account: another user's shell is
 * reported exactly as a missing one, so shells cannot even be probed across users.
 */
export class ShellRegistry {
  private readonly shells = new Map<string, ShellRecord>();
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
    const own = this.listFor(owner).length;
    if (own >= this.limits.maxShellsPerUser) throw new WsmanFault('shellQuota', [], `${owner} has ${own} shells`);
    if (own === 0) {
      const users = new Set([...this.shells.values()].map((s) => s.owner.toLowerCase()));
      if (users.size >= this.limits.maxConcurrentUsers) throw new WsmanFault('shellQuota', [], 'Winrs.MaxConcurrentUsers reached');
    }
  }

  has(id: string): boolean {
    return this.shells.has(key(id));
  }

  add(record: ShellRecord): void {
    this.shells.set(key(record.id), record);
  }

  find(id: string, owner: string): ShellRecord | undefined {
    const record = this.shells.get(key(id));
    return record !== undefined && sameAccount(record.owner, owner) ? record : undefined;
  }

  listFor(owner: string): ShellRecord[] {
    return [...this.shells.values()].filter((s) => sameAccount(s.owner, owner));
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
    const record = this.shells.get(key(id));
    if (record === undefined) return;
    this.shells.delete(key(id));
    this.log.info({ event: 'shell-deleted', shellId: record.id, user: record.owner, reason }, 'shell deleted');
    await record.session.close();
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.shells.keys()].map((id) => this.delete(id, 'service stopping')));
  }

  private async sweep(): Promise<void> {
    const nowMs = this.now();
    for (const record of [...this.shells.values()]) {
      if (nowMs - record.createdMs >= record.lifetimeMs) await this.delete(record.id, 'lifetime reached');
      else if (record.activeRequests === 0 && nowMs - record.lastActivityMs >= record.idleTimeoutMs) {
        await this.delete(record.id, 'idle timeout');
      }
    }
  }
}

/** GUIDs come back from clients in either case. */
function key(id: string): string {
  return id.toLowerCase();
}
