/**
 * Remembers authenticators already accepted, so that a captured AP-REQ cannot be replayed while it
 * is still within the clock skew [RFC 4120 §3.2.3: "the server MUST utilize a replay cache to
 * remember any authenticator presented within the allowable clock skew"]. Shared by all contexts
 * of a server; keys are opaque strings built by the acceptor.
 */
export interface ReplayCache {
  /** True if the key was added and has not expired. */
  has(key: string): boolean;
  /** Records the key until `expiresAtMs` (epoch milliseconds). */
  add(key: string, expiresAtMs: number): void;
}

export interface MemoryReplayCacheOptions {
  /**
   * Upper bound on remembered authenticators. An entry lives for the clock skew (10 minutes by
   * default), so the default allows a sustained 16 authentications a second before the oldest
   * entries are dropped early; each entry costs about 200 bytes.
   */
  readonly maxEntries?: number | undefined;
  readonly now?: (() => number) | undefined;
}

export const DEFAULT_REPLAY_CACHE_ENTRIES = 10_000;

/**
 * An in-memory replay cache with expiry and a size bound. When full it first drops expired
 * entries, then the oldest ones: a bounded cache cannot refuse new clients, so under a flood the
 * oldest authenticators (the ones closest to expiring anyway) lose their protection first.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryReplayCacheOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_REPLAY_CACHE_ENTRIES);
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    const expiresAt = this.#entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.#now()) return true;
    this.#entries.delete(key);
    return false;
  }

  add(key: string, expiresAtMs: number): void {
    // Re-adding moves the key to the end of the insertion order, so eviction stays oldest-first.
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#evict();
    this.#entries.set(key, expiresAtMs);
  }

  #evict(): void {
    const now = this.#now();
    for (const [key, expiresAt] of this.#entries) if (expiresAt <= now) this.#entries.delete(key);
    // Map iteration is in insertion order: drop the oldest until there is room for one more.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
