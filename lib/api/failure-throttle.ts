import type { Clock } from "../clock";

/**
 * Failed credential checks per client address, in memory (per instance), fixed windows. A client
 * that keeps presenting bad credentials gets 429 with Retry-After instead of 401; clients whose
 * credentials work are never counted and never refused (see requireAuth). Malformed keys and keys
 * with a wrong checksum are refused before any database work; a well-formed guess costs one indexed
 * lookup, throttled or not.
 */
export class FailureThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds to wait when the address is over its limit, else null. */
  retryAfter(address: string): number | null {
    if (this.limit <= 0) return null;
    const window = this.windows.get(address);
    if (!window) return null;
    const elapsed = this.clock.now().getTime() - window.start;
    if (elapsed >= this.windowMs) {
      this.windows.delete(address);
      return null;
    }
    return window.failures >= this.limit ? Math.max(1, Math.ceil((this.windowMs - elapsed) / 1000)) : null;
  }

  recordFailure(address: string): void {
    if (this.limit <= 0) return;
    const now = this.clock.now().getTime();
    const window = this.windows.get(address);
    if (window && now - window.start < this.windowMs) {
      window.failures++;
      return;
    }
    // Bounded memory: a flood of distinct addresses clears the table rather than growing it.
    if (this.windows.size >= 100_000) this.windows.clear();
    this.windows.set(address, { start: now, failures: 1 });
  }
}
