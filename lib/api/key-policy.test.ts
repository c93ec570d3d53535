/**
 * lifecycle.md §3: the account's key policy over /v2 — who reads and changes it, its validation, and
 * the lifetime caps create and refresh are held to (422 `lifetime_above_policy` with the latest date).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import {
  createKey,
  expectProblem,
  meStatus,
  refreshed,
  refreshKey,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

const DAY = 86_400_000;
const NOW = "2026-12-01T12:00:00.000Z";
const GENERATION_D = { "sdk-package-name": "arize", "sdk-version": "8.42.0" };

describe.each(testDatabases())("key policy ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database, { now: NOW });
  });
  afterAll(() => demo.harness.close());

  const request = (...args: Parameters<Demo["harness"]["request"]>) => demo.harness.request(...args);
  const put = (token: string, body: unknown) => request("PUT", "/v2/key-policy", { token, body });
  const inDays = (days: number) => new Date(demo.harness.clock.now().getTime() + days * DAY).toISOString();

  it("reads the defaults for any signed-in caller, and nothing without a credential", async () => {
    const res = await request("GET", "/v2/key-policy", { token: demo.tokens.readOnly });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      max_lifetime_days: { user: null, service: null },
      default_lifetime_days: { user: null, service: null },
      warning_days: [30, 7, 1],
      leak_action: "revoke",
    });
    await expectProblem(await request("GET", "/v2/key-policy"), 401, "authentication_required");
  });

  it("[member] may not change it: 403, and nothing changes", async () => {
    await expectProblem(await put(demo.tokens.member, { warning_days: [2] }), 403, "forbidden");
    const res = await request("GET", "/v2/key-policy", { token: demo.tokens.member });
    expect(((await res.json()) as { warning_days: number[] }).warning_days).toEqual([30, 7, 1]);
  });

  it("refuses bad warnings, defaults above the caps and unknown leak actions, naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ warning_days: [1, 2, 3, 4, 5, 6] }, "warning_days"],
      [{ warning_days: [7, 7] }, "warning_days"],
      [{ warning_days: [0] }, "warning_days.0"],
      [{ warning_days: [366] }, "warning_days.0"],
      [{ warning_days: [1.5] }, "warning_days.0"],
      [{ max_lifetime_days: { user: 0 } }, "max_lifetime_days.user"],
      [{ leak_action: "shout" }, "leak_action"],
      [
        { max_lifetime_days: { user: 30 }, default_lifetime_days: { user: 60 } },
        "default_lifetime_days.user",
      ],
    ];
    for (const [body, field] of cases) {
      const problem = await expectProblem(await put(demo.tokens.admin, body), 400, "invalid_request");
      expect(
        problem.errors?.map((e) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });

  it("[admin] saves it (fields left out keep their value) with an audit row; everyone reads the change", async () => {
    const res = await put(demo.tokens.admin, {
      max_lifetime_days: { user: 90, service: 365 },
      default_lifetime_days: { user: 30, service: 90 },
      warning_days: [1, 30, 7],
      leak_action: "NOTIFY",
    });
    expect(res.status).toBe(200);
    const saved = {
      max_lifetime_days: { user: 90, service: 365 },
      default_lifetime_days: { user: 30, service: 90 },
      warning_days: [30, 7, 1],
      leak_action: "notify",
    };
    expect(await res.json()).toEqual(saved);
    const partial = await put(demo.tokens.admin, { leak_action: "revoke" });
    expect(await partial.json()).toEqual({ ...saved, leak_action: "revoke" });
    const read = await request("GET", "/v2/key-policy", { token: demo.tokens.member });
    expect(await read.json()).toEqual({ ...saved, leak_action: "revoke" });
    const rows = await demo.harness.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "key_policy.update"), eq(auditLog.targetType, "account")));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.details).toMatchObject({ after: { max_lifetime_days: { user: 90, service: 365 } } });
  });

  it("create over the cap, or without an expiry, is 422 lifetime_above_policy naming the latest date", async () => {
    const latest = inDays(90);
    for (const expires of [inDays(91), undefined]) {
      const problem = await expectProblem(
        await request("POST", "/v2/api-keys", {
          token: demo.tokens.member,
          body: { name: "too long", ...(expires ? { expires_at: expires } : {}) },
        }),
        422,
        "lifetime_above_policy",
      );
      expect(problem.detail).toContain(latest);
      expect(problem.errors?.[0]?.field).toBe("expires_at");
    }
    // Service keys have their own cap (365), on every dialect.
    const service = await request("POST", "/v2/api-keys", {
      token: demo.tokens.admin,
      headers: GENERATION_D,
      body: { name: "svc", key_type: "service", space_id: demo.spaceIds.Staging, expires_at: inDays(366) },
    });
    expect(service.status).toBe(422);
    expect(await service.text()).toContain(inDays(365));
    // Within the caps: made.
    await createKey(demo.harness, demo.tokens.member, { name: "ok", expires_at: inDays(90) });
    await createKey(demo.harness, demo.tokens.admin, {
      name: "svc ok",
      key_type: "service",
      space_id: demo.spaceIds.Staging,
      expires_at: inDays(200),
    });
  });

  it("refresh to a new expiry over the cap, or none, is 422; keys made before the cap keep working", async () => {
    await put(demo.tokens.admin, { max_lifetime_days: { user: null } });
    const old = await createKey(demo.harness, demo.tokens.member, { name: "before the cap" });
    await put(demo.tokens.admin, { max_lifetime_days: { user: 90 } });
    // Untouched by the cap: it still works and still never expires.
    expect(await meStatus(demo.harness, old.key)).toBe(200);
    for (const body of [{}, { expires_at: inDays(120) }]) {
      const problem = await expectProblem(
        await refreshKey(demo.harness, demo.tokens.member, old.id, body),
        422,
        "lifetime_above_policy",
      );
      expect(problem.detail).toContain(inDays(90));
    }
    expect(await meStatus(demo.harness, old.key)).toBe(200);
    const renewed = await refreshed(demo.harness, demo.tokens.member, old.id, { expires_at: inDays(60) });
    expect(renewed.expires_at).toBe(inDays(60));
  });
});
