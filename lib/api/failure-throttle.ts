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

  /**
   * A failed credential from `address`: counted, and null (answer 401); or, when the address is over
   * its limit, nothing counted and the seconds to wait (answer 429). Deciding and counting are one
   * synchronous step, so failures arriving together meet the same limit as failures one by one.
   */
  fail(address: string): number | null {
    if (this.limit <= 0) return null;
    const now = this.clock.now().getTime();
    const window = this.windows.get(address);
    if (window && now - window.start < this.windowMs) {
      if (window.failures >= this.limit)
        return Math.max(1, Math.ceil((this.windowMs - (now - window.start)) / 1000));
      window.failures++;
      return null;
    }
    // Bounded memory: a flood of distinct addresses clears the table rather than growing it.
    if (!window && this.windows.size >= 100_000) this.windows.clear();
    this.windows.set(address, { start: now, failures: 1 });
    return null;
  }
}
