/**
 * lifecycle.md §5, expiry warnings: one warning per key and threshold (the smallest crossed), an
 * "expired" notice, again after a refresh to a new expiry, one email per person — over a real SMTP
 * server, on both databases, with scans racing each other.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock";
import { apiKeyExpiryWarnings, auditLog } from "../db/schema";
import { smtpMailer } from "../domain/mailer";
import { createKey, refreshed, setupDemo, uuidOf, type Demo } from "../testing/api-keys-test-kit";
import { mailSubject, mailText, startSmtp, type SmtpInbox } from "../testing/smtp-inbox";
import { testDatabases } from "../testing/test-databases";
import { scanExpiringKeys, type ExpiryEvent } from "./expiry-warnings";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PUBLIC_URL = "https://keys.example.test";
const START = "2026-12-01T12:00:00.000Z";

describe.each(testDatabases())("expiry warnings ($name)", (database) => {
  let demo: Demo;
  let smtp: SmtpInbox;
  const events: ExpiryEvent[] = [];
  // The scans' own clock: it moves days ahead while the API's (and its sessions') stays put.
  const scanClock = new ManualClock(START);
  const scan = () =>
    scanExpiringKeys({
      db: demo.harness.handle.db,
      clock: scanClock,
      mailer: smtpMailer(smtp.url),
      publicUrl: PUBLIC_URL,
      log: () => undefined,
      sink: { record: (_tx, event) => Promise.resolve(void events.push(event)) },
    });
  const inHours = (hours: number) => new Date(scanClock.now().getTime() + hours * HOUR).toISOString();
  const warningRows = (keyId: string) =>
    demo.harness.handle.db
      .select()
      .from(apiKeyExpiryWarnings)
      .where(eq(apiKeyExpiryWarnings.apiKeyId, uuidOf("ApiKey", keyId)));
  const auditOf = (keyId: string) =>
    demo.harness.handle.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, "api_key.expiry_warning_sent"),
          eq(auditLog.targetId, uuidOf("ApiKey", keyId)),
        ),
      );

  beforeAll(async () => {
    smtp = await startSmtp();
    demo = await setupDemo(database, { now: START });
    const res = await demo.harness.request("PUT", "/v2/key-policy", {
      token: demo.tokens.admin,
      body: { warning_days: [7, 1] },
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await demo.harness.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.inbox.length = 0;
    events.length = 0;
  });

  it("keys expiring in 6 days and in 20 hours get one warning each, the 20-hour key's for 1 day, however many scans race", async () => {
    const sixDays = await createKey(demo.harness, demo.tokens.member, {
      name: "six days",
      expires_at: inHours(144),
    });
    const twentyHours = await createKey(demo.harness, demo.tokens.member, {
      name: "twenty hours",
      expires_at: inHours(20),
    });
    // Three scans at once (on PostgreSQL, three connections), then one more.
    await Promise.all([scan(), scan(), scan()]);
    await scan();
    await vi.waitFor(() => expect(smtp.inbox).toHaveLength(2));
    const bySubject = new Map(smtp.inbox.map((m) => [mailSubject(m), m]));
    const six = bySubject.get('Your API key "six days" expires in 6 days');
    const twenty = bySubject.get('Your API key "twenty hours" expires in 1 day');
    expect(six?.to).toEqual(["member@example.com"]);
    expect(twenty?.to).toEqual(["member@example.com"]);
    expect(mailText(six)).toContain(`${PUBLIC_URL}/settings/api-keys/${encodeURIComponent(sixDays.id)}`);
    expect(mailText(six)).toContain(sixDays.expires_at);
    expect(events.map((e) => [e.type, e.thresholdDays, e.daysLeft]).sort()).toEqual([
      ["API_KEY_EXPIRING", 1, 1],
      ["API_KEY_EXPIRING", 7, 6],
    ]);
    expect((await auditOf(sixDays.id)).map((r) => r.details?.threshold_days)).toEqual([7]);
    expect((await auditOf(twentyHours.id)).map((r) => r.details?.threshold_days)).toEqual([1]);
    // The 20-hour key's 7-day threshold counts as sent.
    expect((await warningRows(twentyHours.id)).map((r) => [r.thresholdDays, r.notified]).sort()).toEqual([
      [1, true],
      [7, false],
    ]);

    // Five days on: the 6-day key crosses 1 day, the 20-hour key has expired. Once each.
    scanClock.advance(5 * DAY);
    await Promise.all([scan(), scan()]);
    await scan();
    await vi.waitFor(() => expect(smtp.inbox).toHaveLength(4));
    expect(
      smtp.inbox
        .slice(2)
        .map((m) => mailSubject(m))
        .sort(),
    ).toEqual(['Your API key "six days" expires in 1 day', 'Your API key "twenty hours" has expired']);
    expect(
      events
        .slice(2)
        .map((e) => e.type)
        .sort(),
    ).toEqual(["API_KEY_EXPIRED", "API_KEY_EXPIRING"]);

    // A refresh to a new expiry can warn again; the same expiry again cannot.
    await refreshed(demo.harness, demo.tokens.member, sixDays.id, { expires_at: inHours(30) });
    await scan();
    await scan();
    await vi.waitFor(() => expect(smtp.inbox).toHaveLength(5));
    expect(mailSubject(smtp.inbox[4])).toBe('Your API key "six days" expires in 2 days');
    expect(await auditOf(sixDays.id)).toHaveLength(3);
  });

  it("a service key warns its creator and its space's admins, each person once", async () => {
    // Max made it in Staging, where he is the admin: one email, not two.
    await createKey(demo.harness, demo.tokens.member, {
      name: "staging by max",
      key_type: "service",
      space_id: demo.spaceIds.Staging,
      expires_at: inHours(48),
    });
    // Ada made one there too: Ada (creator) and Max (space admin).
    await createKey(demo.harness, demo.tokens.admin, {
      name: "staging by ada",
      key_type: "service",
      space_id: demo.spaceIds.Staging,
      expires_at: inHours(48),
    });
    await scan();
    await scan();
    await vi.waitFor(() => expect(smtp.inbox).toHaveLength(3));
    const to = (name: string) =>
      smtp.inbox
        .filter((m) => mailSubject(m) === `Your API key "${name}" expires in 2 days`)
        .flatMap((m) => m.to)
        .sort();
    expect(to("staging by max")).toEqual(["member@example.com"]);
    expect(to("staging by ada")).toEqual(["admin@example.com", "member@example.com"]);
    expect(mailText(smtp.inbox[0])).toContain("in space Staging");
  });

  it("keys that never expire, revoked keys, and keys not yet within a threshold send nothing", async () => {
    await createKey(demo.harness, demo.tokens.member, { name: "forever" });
    await createKey(demo.harness, demo.tokens.member, { name: "later", expires_at: inHours(24 * 8) });
    const revoked = await createKey(demo.harness, demo.tokens.member, {
      name: "gone",
      expires_at: inHours(5),
    });
    await demo.harness.request("PUT", `/v2/api-keys/${encodeURIComponent(revoked.id)}/revoke`, {
      token: demo.tokens.member,
    });
    expect(await scan()).toEqual([]);
    expect(smtp.inbox).toHaveLength(0);
  });
});
