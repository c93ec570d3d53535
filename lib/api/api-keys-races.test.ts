import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { apiKeys, users } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import { digestKey, KEY_SEARCH_PATTERN } from "../keys/secrets";
import type { ApiKeyCreatedJson } from "../schemas/api-keys";
import {
  auditRows,
  createServiceKey,
  createUserKey,
  expectProblem,
  keyRow,
  meStatus,
  refreshKey,
  revokeKey,
  secretRows,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

const START = "2026-05-01T09:00:00.000Z";
const second = 1000;

describe.each(testDatabases())("races and atomicity ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database, { now: START });
  });
  afterEach(() => demo.harness.clock.set(START));
  afterAll(() => demo.harness.close());

  it("two revokes at once: both 204, one change, exactly one api_key.revoke audit row", async () => {
    const { harness, tokens, spaceIds } = demo;
    for (let round = 0; round < 5; round++) {
      const key = await createServiceKey(harness, tokens.member, spaceIds.Staging);
      // Two admins of the space (Ada, and Max who made it) race to revoke it.
      const [a, b] = await Promise.all([
        revokeKey(harness, tokens.admin, key.id),
        revokeKey(harness, tokens.member, key.id),
      ]);
      expect([a.status, b.status]).toEqual([204, 204]);
      expect(await auditRows(harness, key.id, "api_key.revoke")).toHaveLength(1);
      expect((await keyRow(harness, key.id)).status).toBe("revoked");
      expect(await meStatus(harness, key.key)).toBe(401);
    }
  });

  it("revoking a revoked key is a 204 no-op with no second audit row (also through DELETE)", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member);
    expect((await revokeKey(harness, tokens.member, key.id)).status).toBe(204);
    const revokedAt = (await keyRow(harness, key.id)).revokedAt;
    harness.clock.advance(5 * second);
    expect((await revokeKey(harness, tokens.member, key.id)).status).toBe(204);
    const del = await harness.request("DELETE", `/v2/api-keys/${encodeURIComponent(key.id)}`, {
      token: tokens.member,
    });
    expect(del.status).toBe(204);
    expect(await auditRows(harness, key.id, "api_key.revoke")).toHaveLength(1);
    expect((await keyRow(harness, key.id)).revokedAt).toEqual(revokedAt);
  });

  it("two refreshes at once: both 200, one current secret; at most two live: the original ends, the first one's secret keeps the later one's grace", async () => {
    const { harness, tokens } = demo;
    const graceA = 100;
    const graceB = 300;
    const original = await createUserKey(harness, tokens.member);
    const [resA, resB] = await Promise.all([
      refreshKey(harness, tokens.member, original.id, { grace_period_seconds: graceA }),
      refreshKey(harness, tokens.member, original.id, { grace_period_seconds: graceB }),
    ]);
    expect([resA.status, resB.status]).toEqual([200, 200]);
    const a = (await resA.json()) as ApiKeyCreatedJson;
    const b = (await resB.json()) as ApiKeyCreatedJson;
    expect(a.key).not.toBe(b.key);
    expect(a.id).toBe(original.id);
    expect(b.id).toBe(original.id);

    const rows = await secretRows(harness, original.id);
    const current = rows.filter((r) => r.isCurrent);
    expect(current).toHaveLength(1);
    expect(rows).toHaveLength(2);
    // They ran one after the other; the later one holds the current secret.
    const [first, later, laterGrace] =
      current[0]?.digest === digestKey(b.key) ? [a, b, graceB] : [b, a, graceA];
    expect(current[0]?.digest).toBe(digestKey(later.key));
    expect((await keyRow(harness, original.id)).redactedKey).toBe(later.redacted_key);

    const t0 = harness.clock.now().getTime();
    const status = async () => [
      await meStatus(harness, original.key),
      await meStatus(harness, first.key),
      await meStatus(harness, later.key),
    ];
    // At most two secrets live: the later refresh ended the original at once; the first refresh's
    // secret lives for the later one's grace.
    expect(await status()).toEqual([401, 200, 200]);
    const boundaries = [
      { at: t0 + laterGrace * second - 1, expect: [401, 200, 200] },
      { at: t0 + laterGrace * second, expect: [401, 401, 200] },
    ];
    for (const step of boundaries) {
      harness.clock.set(step.at);
      expect(await status(), new Date(step.at).toISOString()).toEqual(step.expect);
    }
    expect(await auditRows(harness, original.id, "api_key.refresh")).toHaveLength(2);
  });

  it("five refreshes at once never leave two current secrets or more than two live; the survivor is the last one's", async () => {
    const { harness, tokens, spaceIds } = demo;
    const key = await createServiceKey(harness, tokens.member, spaceIds.Staging);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        refreshKey(harness, tokens.member, key.id, { grace_period_seconds: 60 }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = (await Promise.all(results.map((r) => r.json()))) as ApiKeyCreatedJson[];
    const rows = await secretRows(harness, key.id);
    expect(rows.filter((r) => r.isCurrent)).toHaveLength(1);
    expect(rows).toHaveLength(2);
    // During the grace minute exactly two secrets work: the current one and the one it replaced.
    const live = [];
    for (const secret of [key.key, ...bodies.map((b) => b.key)])
      if ((await meStatus(harness, secret)) === 200) live.push(secret);
    expect(live).toHaveLength(2);
    expect(live.map(digestKey).sort()).toEqual(rows.map((r) => r.digest).sort());
    harness.clock.advance(60 * second);
    const alive = [];
    for (const secret of [key.key, ...bodies.map((b) => b.key)]) {
      if ((await meStatus(harness, secret)) === 200) alive.push(secret);
    }
    expect(alive).toHaveLength(1);
    expect(rows.find((r) => r.isCurrent)?.digest).toBe(alive[0] ? digestKey(alive[0]) : "none");
  });

  it("revoke during a grace period kills the old and the new secret at once", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.readOnly);
    const res = await refreshKey(harness, tokens.readOnly, key.id, { grace_period_seconds: 3600 });
    const renewed = (await res.json()) as ApiKeyCreatedJson;
    expect(await meStatus(harness, key.key)).toBe(200);
    expect(await meStatus(harness, renewed.key)).toBe(200);
    expect((await revokeKey(harness, tokens.readOnly, key.id)).status).toBe(204);
    expect(await meStatus(harness, key.key)).toBe(401);
    expect(await meStatus(harness, renewed.key)).toBe(401);
  });

  it("racing revoke and refresh: whoever wins, the key ends revoked and no secret works", async () => {
    const { harness, tokens } = demo;
    for (let round = 0; round < 3; round++) {
      const key = await createUserKey(harness, tokens.member);
      const [revoked, refresh] = await Promise.all([
        revokeKey(harness, tokens.member, key.id),
        refreshKey(harness, tokens.member, key.id, { grace_period_seconds: 600 }),
      ]);
      expect(revoked.status).toBe(204);
      expect([200, 409]).toContain(refresh.status);
      expect(await meStatus(harness, key.key)).toBe(401);
      if (refresh.status === 200) {
        expect(await meStatus(harness, ((await refresh.json()) as ApiKeyCreatedJson).key)).toBe(401);
      }
      expect((await secretRows(harness, key.id)).filter((r) => r.isCurrent)).toHaveLength(1);
    }
  });

  it("refreshing a revoked key is a 409 that changes nothing", async () => {
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.member);
    expect((await revokeKey(harness, tokens.member, key.id)).status).toBe(204);
    const secretsBefore = await secretRows(harness, key.id);
    const rowBefore = await keyRow(harness, key.id);
    const res = await refreshKey(harness, tokens.member, key.id, { grace_period_seconds: 60 });
    const text = await res.clone().text();
    await expectProblem(res, 409);
    expect(text).not.toMatch(KEY_SEARCH_PATTERN);
    expect(await secretRows(harness, key.id)).toEqual(secretsBefore);
    expect(await keyRow(harness, key.id)).toEqual(rowBefore);
    expect(await auditRows(harness, key.id, "api_key.refresh")).toHaveLength(0);
  });

  describe("a change whose transaction fails midway", () => {
    // The audit row is the last write of each change; making it fail aborts the transaction late.
    beforeAll(async () => {
      const db = demo.harness.handle.db;
      await db.execute(sql`
        create function keydesk_test_fail_audit() returns trigger language plpgsql as $$
        begin
          if new.action in ('api_key.refresh', 'api_key.create', 'api_key.revoke') then
            raise exception 'injected failure';
          end if;
          return new;
        end $$`);
    });
    const arm = () =>
      demo.harness.handle.db.execute(
        sql`create trigger keydesk_test_fail before insert on audit_log for each row execute function keydesk_test_fail_audit()`,
      );
    const disarm = () =>
      demo.harness.handle.db.execute(sql`drop trigger if exists keydesk_test_fail on audit_log`);
    let logged: MockInstance<typeof console.error>;
    beforeAll(() => {
      logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    });
    afterEach(async () => {
      await disarm();
      // The failure is logged for operators, never with a raw key in it.
      expect(JSON.stringify(logged.mock.calls)).not.toMatch(KEY_SEARCH_PATTERN);
      logged.mockClear();
    });
    afterAll(() => logged.mockRestore());

    it("refresh: the old key still works, no new secret, no changed row, and no key in the answer", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      const secretsBefore = await secretRows(harness, key.id);
      const rowBefore = await keyRow(harness, key.id);
      await arm();
      const res = await refreshKey(harness, tokens.member, key.id, { grace_period_seconds: 60 });
      const text = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
      expect(text).not.toContain("injected failure");
      expect(await secretRows(harness, key.id)).toEqual(secretsBefore);
      expect(await keyRow(harness, key.id)).toEqual(rowBefore);
      expect(await meStatus(harness, key.key)).toBe(200);

      // Once the fault is gone, the same refresh works.
      await disarm();
      expect((await refreshKey(harness, tokens.member, key.id)).status).toBe(200);
    });

    it("create: no key in the answer, and no key, secret or bot user left behind", async () => {
      const { harness, tokens, spaceIds } = demo;
      const name = `doomed ${Date.now()}`;
      await arm();
      const res = await harness.request("POST", "/v2/api-keys", {
        token: tokens.member,
        body: { name, key_type: "service", space_id: spaceIds.Staging },
      });
      const text = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
      const db = harness.handle.db;
      expect(await db.select().from(apiKeys).where(eq(apiKeys.name, name))).toEqual([]);
      expect(await db.select().from(users).where(eq(users.name, name))).toEqual([]);
    });

    it("revoke: the key stays active and working", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      await arm();
      const res = await revokeKey(harness, tokens.member, key.id);
      expect(res.status).toBeGreaterThanOrEqual(500);
      await disarm();
      expect((await keyRow(harness, key.id)).status).toBe("active");
      expect(await meStatus(harness, key.key)).toBe(200);
    });
  });
});
