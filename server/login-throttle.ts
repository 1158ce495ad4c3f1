/**
 * Slows down password guessing: after a few failures from one address, every further attempt
 * from it waits, doubling up to a ceiling. A success clears the address. Memory is bounded by
 * forgetting the oldest addresses first.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lastMs: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseDelayMs = 250,
    private readonly maxDelayMs = 10_000,
    private readonly forgetAfterMs = 15 * 60_000,
    private readonly maxTracked = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long to hold this address's next attempt before checking its password. */
  delayFor(address: string): number {
    const entry = this.failures.get(address);
    if (entry === undefined) return 0;
    if (this.now() - entry.lastMs > this.forgetAfterMs) {
      this.failures.delete(address);
      return 0;
    }
    const excess = entry.count - this.freeAttempts;
    if (excess < 0) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(excess, 16));
  }

  recordFailure(address: string): void {
    const entry = this.failures.get(address) ?? { count: 0, lastMs: 0 };
    this.failures.delete(address);
    this.failures.set(address, { count: entry.count + 1, lastMs: this.now() });
    if (this.failures.size > this.maxTracked) {
      const oldest = this.failures.keys().next();
      if (oldest.done !== true) this.failures.delete(oldest.value);
    }
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }
}
