import { sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { DbOrTx } from "../db/client";
import { rateLimits } from "../db/schema";

export interface RateLimitRule {
  /** Events allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitState {
  count: number;
  /** Seconds until the window resets (≥ 1). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in the database, so every instance over one PostgreSQL shares them.
 * Used for rare events (sign-in failures, key creation), never on the verification hot path.
 */
export class RateLimiter {
  constructor(
    private readonly db: DbOrTx,
    private readonly clock: Clock,
  ) {}

  /** Counts one event and returns the count in the current window. */
  async hit(key: string, rule: RateLimitRule): Promise<RateLimitState> {
    const now = this.clock.now();
    const windowFloor = new Date(now.getTime() - rule.windowMs);
    const [row] = await this.db
      .insert(rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} > ${windowFloor} then ${rateLimits.count} + 1 else 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} > ${windowFloor} then ${rateLimits.windowStart} else ${now} end`,
        },
      })
      .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
    return this.state(row?.count ?? 1, row?.windowStart ?? now, rule, now);
  }

  /** The current count without counting anything. */
  async peek(key: string, rule: RateLimitRule): Promise<RateLimitState> {
    const now = this.clock.now();
    const [row] = await this.db
      .select({ count: rateLimits.count, windowStart: rateLimits.windowStart })
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${key}`);
    if (!row || row.windowStart.getTime() <= now.getTime() - rule.windowMs) {
      return { count: 0, retryAfterSeconds: 0 };
    }
    return this.state(row.count, row.windowStart, rule, now);
  }

  async reset(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(sql`${rateLimits.key} = ${key}`);
  }

  private state(count: number, windowStart: Date, rule: RateLimitRule, now: Date): RateLimitState {
    const remainingMs = windowStart.getTime() + rule.windowMs - now.getTime();
    return { count, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }
}

/** Growing delays after repeated failures (OWASP's advice for sign-in), rather than a lockout. */
export interface BackoffRule {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** The delay after the first failure beyond the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

/** How long the `failures`-th failure makes the next attempt wait. */
function backoffDelayMs(rule: BackoffRule, failures: number): number {
  const beyond = failures - rule.freeFailures;
  if (beyond <= 0) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(beyond - 1, 30));
}

/**
 * Failure counts with growing delays, in the same shared table as RateLimiter (so every instance sees
 * them): `count` is the number of failures and `window_start` the time of the last one.
 */
export class FailureBackoff {
  constructor(
    private readonly db: DbOrTx,
    private readonly clock: Clock,
  ) {}

  /** Seconds before the key may try again, or null if it may now. */
  async retryAfter(key: string, rule: BackoffRule): Promise<number | null> {
    const now = this.clock.now().getTime();
    const [row] = await this.db
      .select({ count: rateLimits.count, lastFailure: rateLimits.windowStart })
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${key}`);
    if (!row || now - row.lastFailure.getTime() >= rule.forgetAfterMs) return null;
    const until = row.lastFailure.getTime() + backoffDelayMs(rule, row.count);
    return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : null;
  }

  async recordFailure(key: string, rule: BackoffRule): Promise<void> {
    const now = this.clock.now();
    const forgotten = new Date(now.getTime() - rule.forgetAfterMs);
    await this.db
      .insert(rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} > ${forgotten} then ${rateLimits.count} + 1 else 1 end`,
          windowStart: now,
        },
      });
  }

  async reset(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(sql`${rateLimits.key} = ${key}`);
  }
}
