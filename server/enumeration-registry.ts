import { randomUUID } from 'node:crypto';
import { sameAccount } from './principal.js';

interface Enumeration {
  readonly owner: string;
  /** Serialised items not yet pulled. */
  items: string[];
  expiresMs: number;
}

/** Most enumerations one service keeps open; the oldest is dropped beyond this. */
const MAX_OPEN = 1000;

/**
 * Open WS-Enumeration contexts. Items are taken as a snapshot at Enumerate time; a context lives
 * for Service.EnumerationTimeoutms after its last use, and only its owner can pull from it.
 */
export class EnumerationRegistry {
  private readonly open = new Map<string, Enumeration>();

  constructor(
    private readonly timeoutMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  start(owner: string, items: string[]): string {
    this.expire();
    if (this.open.size >= MAX_OPEN) {
      const oldest = this.open.keys().next();
      if (oldest.done !== true) this.open.delete(oldest.value);
    }
    const context = `uuid:${randomUUID().toUpperCase()}`;
    this.open.set(context, { owner, items, expiresMs: this.now() + this.timeoutMs() });
    return context;
  }

  /** Takes up to `max` items; `ended` once the last one is out, and the context is gone then. */
  pull(context: string, owner: string, max: number): { items: string[]; ended: boolean } | undefined {
    this.expire();
    const entry = this.open.get(context);
    if (entry === undefined || !sameAccount(entry.owner, owner)) return undefined;
    const items = entry.items.splice(0, max);
    const ended = entry.items.length === 0;
    if (ended) this.open.delete(context);
    else entry.expiresMs = this.now() + this.timeoutMs();
    return { items, ended };
  }

  release(context: string, owner: string): boolean {
    this.expire();
    const entry = this.open.get(context);
    if (entry === undefined || !sameAccount(entry.owner, owner)) return false;
    this.open.delete(context);
    return true;
  }

  private expire(): void {
    const nowMs = this.now();
    for (const [context, entry] of this.open) if (entry.expiresMs <= nowMs) this.open.delete(context);
  }
}
