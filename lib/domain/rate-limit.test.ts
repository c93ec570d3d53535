import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { openDatabase, type Db } from "../db/client";
import { rateLimits } from "../db/schema";
import { testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import { FailureBackoff, reserveAttempt, type BackoffRule } from "./rate-limit";

const rule: BackoffRule = { freeFailures: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, forgetAfterMs: 600_000 };

describe.each(testDatabases())("FailureBackoff ($name)", (database) => {
  let handle: TestDatabaseHandle;
  /** A second instance's connections (PostgreSQL), or the same database (PGlite has one). */
  let other: { db: Db; close(): Promise<void> };
  const clock = new ManualClock("2026-05-01T08:00:00.000Z");
  beforeAll(async () => {
    handle = await database.open();
    other =
      database.name === "postgres"
        ? await openDatabase({ kind: "postgres", url: handle.url })
        : { db: handle.db, close: () => Promise.resolve() };
  });
  afterAll(async () => {
    await other.close();
    await handle.close();
  });

  const row = async (key: string) =>
    (await handle.db.select().from(rateLimits).where(eq(rateLimits.key, key)))[0] ?? null;

  it("200 reservations at once from two instances: exactly the free ones and one more are granted", async () => {
    const key = "test:race";
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        new FailureBackoff(i % 2 === 0 ? handle.db : other.db, clock).reserve(key, rule),
      ),
    );
    const granted = results.filter((r) => "key" in r);
    expect(granted).toHaveLength(rule.freeFailures + 1);
    expect(granted.map((r) => ("key" in r ? r.count : 0)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.filter((r) => "retryAfterSeconds" in r && r.retryAfterSeconds === 1)).toHaveLength(
      200 - granted.length,
    );
    expect((await row(key))?.count).toBe(rule.freeFailures + 1);
  });

  it("a released reservation leaves the key exactly as it was", async () => {
    const key = "test:release";
    const backoff = new FailureBackoff(handle.db, clock);
    for (let i = 0; i < 3; i++) await backoff.reserve(key, rule);
    const before = await row(key);
    clock.advance(5_000);
    const reservation = await backoff.reserve(key, rule);
    if (!("key" in reservation)) throw new Error("refused");
    expect((await row(key))?.count).toBe(4);
    await backoff.release(reservation);
    expect(await row(key)).toEqual(before);
  });

  it("a key whose failures are forgotten starts again from one", async () => {
    const key = "test:forget";
    const backoff = new FailureBackoff(handle.db, clock);
    for (let i = 0; i <= rule.freeFailures; i++)
      expect("key" in (await backoff.reserve(key, rule))).toBe(true);
    expect(await backoff.reserve(key, rule)).toEqual({ retryAfterSeconds: 1 });
    clock.advance(rule.forgetAfterMs);
    expect(await backoff.reserve(key, rule)).toMatchObject({ key, count: 1 });
  });

  it("reserveAttempt counts on every key or on none, and says the longest wait", async () => {
    const backoff = new FailureBackoff(handle.db, clock);
    const tight: BackoffRule = { ...rule, freeFailures: 0 };
    expect(
      await reserveAttempt(backoff, [
        ["test:a", rule],
        ["test:b", tight],
      ]),
    ).toHaveLength(2);
    const a = await row("test:a");
    // test:b now waits 1 s; the attempt is refused and test:a keeps its count.
    await expect(
      reserveAttempt(backoff, [
        ["test:a", rule],
        ["test:b", tight],
      ]),
    ).rejects.toMatchObject({
      code: "rate_limited",
    });
    expect(await row("test:a")).toEqual(a);
  });
});
