import { eq, lt, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { DbOrTx } from "../db/client";
import { rateLimits } from "../db/schema";
import { rateLimited } from "./errors";

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
 * How long a counter is kept after its window began (or its last failure): longer than any rule's
 * window or `forgetAfterMs` (the longest today is an hour: password resets per email), so a pruned row
 * is one no rule would still count.
 */
export const RATE_LIMIT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the counters no rule can still read (see RATE_LIMIT_RETENTION_MS): every address that ever
 * failed a sign-in or asked for a password reset leaves a row, and nothing else removes them.
 */
export async function pruneRateLimits(db: DbOrTx, now: Date): Promise<number> {
  const deleted = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now.getTime() - RATE_LIMIT_RETENTION_MS)))
    .returning({ key: rateLimits.key });
  return deleted.length;
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

/** An attempt counted before its outcome is known (see FailureBackoff.reserve). */
export interface Reservation {
  key: string;
  /** The key's count with this attempt in it. */
  count: number;
  /** When it was counted (the key's `window_start` from then on). */
  at: Date;
  /** The key's last failure before this attempt (restored when the attempt is released). */
  previousFailure: Date;
}

/**
 * Failure counts with growing delays, in the same shared table as RateLimiter (so every instance sees
 * them): `count` is the number of failures and `window_start` the time of the last one.
 *
 * An attempt is counted as a failure *before* the slow check it guards (`reserve`), in one statement
 * that decides and counts together: attempts sent at once cannot all pass a check that none of them
 * has counted yet. An attempt that then succeeds gives its count back (`release`), or the key is
 * `reset`; one after another, this is exactly "check, then record the failure".
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
    if (!row) return null;
    return waitSeconds(rule, row.count, row.lastFailure, now);
  }

  /**
   * Counts an attempt as a failure if the key may try now, atomically: the reservation, or the
   * seconds to wait (nothing counted).
   */
  async reserve(key: string, rule: BackoffRule): Promise<Reservation | { retryAfterSeconds: number }> {
    const now = this.clock.now();
    const forgotten = new Date(now.getTime() - rule.forgetAfterMs);
    for (let attempt = 0; ; attempt++) {
      // The row as it was, locked: PostgreSQL's way of returning a row's values from before an UPDATE.
      const before = this.db
        .select({ key: rateLimits.key, count: rateLimits.count, lastFailure: rateLimits.windowStart })
        .from(rateLimits)
        .where(eq(rateLimits.key, key))
        .for("update")
        .as("before");
      const remembered = sql`${before.lastFailure} > ${forgotten.toISOString()}::timestamptz`;
      const delay = sql`case when ${before.count} <= ${rule.freeFailures} then 0
        else least(${rule.maxDelayMs}::float8,
                   ${rule.baseDelayMs}::float8 * power(2, least(${before.count} - ${rule.freeFailures} - 1, 30)))
        end`;
      const allowed = sql`(not (${remembered}) or ${before.lastFailure} + ${delay} * interval '1 millisecond' <= ${now.toISOString()}::timestamptz)`;
      const [row] = await this.db
        .update(rateLimits)
        .set({
          count: sql`case when not ${allowed} then ${rateLimits.count} when ${remembered} then ${rateLimits.count} + 1 else 1 end`,
          windowStart: sql`case when ${allowed} then ${now.toISOString()}::timestamptz else ${rateLimits.windowStart} end`,
        })
        .from(before)
        .where(eq(rateLimits.key, before.key))
        .returning({
          allowed: sql<boolean>`${allowed}`,
          previousCount: sql<number>`${before.count}`,
          previousFailure: sql<Date>`${before.lastFailure}`.mapWith(rateLimits.windowStart),
          count: rateLimits.count,
        });
      if (row) {
        if (row.allowed) return { key, count: row.count, at: now, previousFailure: row.previousFailure };
        return {
          retryAfterSeconds: waitSeconds(rule, row.previousCount, row.previousFailure, now.getTime()) ?? 1,
        };
      }
      // No row yet: the first failure. Another attempt may insert it first; then count on that row.
      const inserted = await this.db
        .insert(rateLimits)
        .values({ key, windowStart: now, count: 1 })
        .onConflictDoNothing()
        .returning({ count: rateLimits.count });
      if (inserted.length > 0) return { key, count: 1, at: now, previousFailure: now };
      if (attempt >= 3) throw new Error(`rate limit key ${key} keeps disappearing`);
    }
  }

  /**
   * Gives back a reservation whose attempt succeeded. When nothing was counted on the key since, the
   * key is exactly as before the attempt; otherwise its count drops by one and its time stays (the
   * later attempt's).
   */
  async release(reservation: Reservation): Promise<void> {
    await this.db
      .update(rateLimits)
      .set({
        count: sql`greatest(${rateLimits.count} - 1, 0)`,
        windowStart: sql`case when ${rateLimits.count} = ${reservation.count}
          and ${rateLimits.windowStart} = ${reservation.at.toISOString()}::timestamptz
          then ${reservation.previousFailure.toISOString()}::timestamptz else ${rateLimits.windowStart} end`,
      })
      .where(eq(rateLimits.key, reservation.key));
  }

  async reset(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(sql`${rateLimits.key} = ${key}`);
  }
}

/** Seconds until a key with `count` failures, the last at `lastFailure`, may try again; null if now. */
function waitSeconds(rule: BackoffRule, count: number, lastFailure: Date, now: number): number | null {
  if (now - lastFailure.getTime() >= rule.forgetAfterMs) return null;
  const until = lastFailure.getTime() + backoffDelayMs(rule, count);
  return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : null;
}

/**
 * Reserves one attempt on each key, in order (see FailureBackoff.reserve), or none: when a key must
 * wait, the ones already reserved are released and the error says the longest wait of them all.
 */
export async function reserveAttempt(
  backoff: FailureBackoff,
  keys: readonly (readonly [key: string, rule: BackoffRule])[],
): Promise<Reservation[]> {
  const held: Reservation[] = [];
  for (const [index, [key, rule]] of keys.entries()) {
    const result = await backoff.reserve(key, rule);
    if ("key" in result) {
      held.push(result);
      continue;
    }
    await Promise.all(held.map((r) => backoff.release(r)));
    const later = await Promise.all(keys.slice(index + 1).map(([k, r]) => backoff.retryAfter(k, r)));
    throw rateLimited(Math.max(result.retryAfterSeconds, ...later.map((w) => w ?? 0)));
  }
  return held;
}
