/**
 * Housekeeping over a real database: rate-limit counters past every rule's window and webhook history
 * past WEBHOOK_HISTORY_DAYS are deleted; what a rule or a pending delivery still needs is kept.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock";
import type { LogLine } from "../domain/logger";
import {
  accounts,
  organizations,
  rateLimits,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEvents,
  webhooks,
} from "../db/schema";
import { seedDemoDirectory } from "../directory/demo-seed";
import { RATE_LIMIT_RETENTION_MS } from "../domain/rate-limit";
import { testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import { WEBHOOK_HISTORY_DAYS } from "../webhooks/history";
import { houseKeep, startHousekeeping } from "./housekeeping";

const DAY = 86_400_000;

describe.each(testDatabases())("housekeeping ($name)", (database) => {
  let handle: TestDatabaseHandle;
  const clock = new ManualClock("2026-12-06T12:00:00Z");
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);
  let webhookId = "";
  let accountId = "";

  beforeAll(async () => {
    handle = await database.open();
    await seedDemoDirectory(handle.db);
    const [account] = await handle.db.select().from(accounts).limit(1);
    const [organization] = await handle.db.select().from(organizations).limit(1);
    if (!account || !organization) throw new Error("the demo directory has no account or organization");
    accountId = account.id;
    webhookId = randomUUID();
    await handle.db.insert(webhooks).values({
      id: webhookId,
      accountId,
      organizationId: organization.id,
      name: "housekeeping",
      url: "https://hooks.example.com/keydesk",
      authType: "BEARER",
      timeoutMs: 5000,
      createdAt: ago(90 * DAY),
      updatedAt: ago(90 * DAY),
    });
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function event(label: string, age: number, status: "pending" | "delivered" | "failed") {
    const id = randomUUID();
    await handle.db.insert(webhookEvents).values({
      id,
      accountId,
      type: "API_KEY_CREATED",
      payload: { label },
      createdAt: ago(age),
    });
    await handle.db.insert(webhookDeliveries).values({
      id: randomUUID(),
      webhookId,
      eventId: id,
      status,
      attempts: 1,
      nextAttemptAt: ago(age),
      createdAt: ago(age),
    });
    await handle.db.insert(webhookDeliveryAttempts).values({
      webhookId,
      eventId: id,
      attemptNumber: 1,
      statusCode: status === "delivered" ? 200 : 500,
      durationMs: 12,
      createdAt: ago(age),
    });
    return id;
  }

  const eventIds = async () =>
    (await handle.db.select({ id: webhookEvents.id }).from(webhookEvents)).map((r) => r.id);

  it("deletes counters older than every rule's window and keeps the rest", async () => {
    await handle.db.insert(rateLimits).values([
      { key: "test:old-failure", windowStart: ago(RATE_LIMIT_RETENTION_MS + 60_000), count: 7 },
      { key: "test:recent-failure", windowStart: ago(RATE_LIMIT_RETENTION_MS - 60_000), count: 3 },
      { key: "test:now", windowStart: ago(0), count: 1 },
    ]);
    const removed = await houseKeep(handle.db, clock);
    expect(removed.rateLimits).toBe(1);
    const keys = (await handle.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(["test:recent-failure", "test:now"]));
    expect(keys).not.toContain("test:old-failure");
  });

  it("deletes old finished webhook events with their deliveries and attempts; keeps recent and pending ones", async () => {
    const past = (WEBHOOK_HISTORY_DAYS + 1) * DAY;
    const oldDelivered = await event("old delivered", past, "delivered");
    const oldFailed = await event("old failed", past, "failed");
    const oldPending = await event("old but still pending", past, "pending");
    const recent = await event("recent delivered", (WEBHOOK_HISTORY_DAYS - 1) * DAY, "delivered");

    const removed = await houseKeep(handle.db, clock);
    expect(removed.webhookEvents).toBe(2);
    const left = await eventIds();
    expect(left).toEqual(expect.arrayContaining([oldPending, recent]));
    expect(left).not.toContain(oldDelivered);
    expect(left).not.toContain(oldFailed);
    for (const gone of [oldDelivered, oldFailed]) {
      expect(
        await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, gone)),
      ).toEqual([]);
      expect(
        await handle.db
          .select()
          .from(webhookDeliveryAttempts)
          .where(eq(webhookDeliveryAttempts.eventId, gone)),
      ).toEqual([]);
    }
    // Nothing more to do on a second run.
    expect(await houseKeep(handle.db, clock)).toEqual({ rateLimits: 0, webhookEvents: 0 });
  });

  it("more than one batch of old events goes in one run", async () => {
    const rows = Array.from({ length: 1_234 }, (_, i) => ({
      id: randomUUID(),
      accountId,
      type: "API_KEY_REVOKED",
      payload: { i },
      createdAt: ago((WEBHOOK_HISTORY_DAYS + 2) * DAY),
    }));
    await handle.db.insert(webhookEvents).values(rows);
    expect((await houseKeep(handle.db, clock)).webhookEvents).toBe(1_234);
  });

  it("the periodic runner runs at once, logs what it deleted, and stop waits for it", async () => {
    await handle.db
      .insert(rateLimits)
      .values({ key: "test:periodic", windowStart: ago(RATE_LIMIT_RETENTION_MS * 2), count: 1 });
    const lines: LogLine[] = [];
    const running = startHousekeeping({
      db: handle.db,
      clock,
      intervalMs: 3_600_000,
      log: (l) => lines.push(l),
    });
    await vi.waitFor(() => expect(lines).toContainEqual(expect.objectContaining({ msg: "housekeeping" })));
    await running.stop();
    expect(await handle.db.select().from(rateLimits).where(eq(rateLimits.key, "test:periodic"))).toEqual([]);
    expect(lines[0]).toMatchObject({ deleted: { rateLimits: 1, webhookEvents: 0 } });
  });
});
