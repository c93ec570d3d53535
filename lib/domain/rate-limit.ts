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
