import { randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { ManualClock } from "../clock";
import { auditLog } from "../db/schema";
import * as schema from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import { encodeId } from "../domain/ids";
import { generateKey, KEY_SEARCH_PATTERN } from "../keys/secrets";
import type { ApiKeyCreatedJson, ApiKeyJson } from "../schemas/api-keys";
import {
  auditRows,
  createKey,
  createServiceKey,
  createUserKey,
  expectProblem,
  KEY_FIELDS,
  keyRow,
  listAll,
  listKeys,
  meOf,
  meStatus,
  refreshed,
  refreshKey,
  revokeKey,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import { createApi } from "./app";

const START = "2026-06-01T08:00:00.000Z";
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

const iso = (ms: number) => new Date(ms).toISOString();
const decodeKeyId = (id: string) => uuidOf("ApiKey", id);

const REQUIRED_FIELDS = [
  "id",
  "name",
  "key_type",
  "status",
  "redacted_key",
  "created_at",
  "created_by_user_id",
];
const DETAIL_FIELDS = ["space_id", "roles", "created_by", "grace_until"];

function expectNoNulls(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain("null");
}

describe.each(testDatabases())("key lifecycle ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database, { now: START });
  });
  afterEach(() => demo.harness.clock.set(START));
  afterAll(() => demo.harness.close());

  const now = () => demo.harness.clock.now().getTime();

  describe("expiry", () => {
    it.each(["user", "service"] as const)(
      "a %s key with expires_at works at T−1 ms and is refused at T and T+1 ms",
      async (type) => {
        const { harness, tokens, spaceIds } = demo;
        const expiresAt = now() + hour;
        const key = await createKey(harness, tokens.member, {
          name: `expiring ${type}`,
          expires_at: iso(expiresAt),
          ...(type === "service" ? { key_type: "service", space_id: spaceIds.Staging } : {}),
        });
        expect(key.expires_at).toBe(iso(expiresAt));
        harness.clock.set(expiresAt - 1);
        expect(await meStatus(harness, key.key)).toBe(200);
        harness.clock.set(expiresAt);
        const refused = await harness.request("GET", "/v2/me", { token: key.key });
        await expectProblem(refused, 401);
        harness.clock.set(expiresAt + 1);
        expect(await meStatus(harness, key.key)).toBe(401);
        // An expired key stays `active` in listings; expires_at tells.
        const listed = await listAll(
          harness,
          tokens.member,
          type === "service" ? `space_id=${encodeURIComponent(spaceIds.Staging)}` : "",
        );
        expect(listed.find((k) => k.id === key.id)?.status).toBe("active");
      },
    );

    it("reads an expires_at without an offset as UTC, and keeps millisecond precision", async () => {
      const key = await createKey(demo.harness, demo.tokens.member, {
        name: "no offset",
        expires_at: "2026-06-01T09:30:00",
      });
      expect(key.expires_at).toBe("2026-06-01T09:30:00.000Z");
      const precise = await createKey(demo.harness, demo.tokens.member, {
        name: "precise",
        expires_at: "2026-06-01T10:30:00.123+02:00",
      });
      expect(precise.expires_at).toBe("2026-06-01T08:30:00.123Z");
    });

    it.each([
      ["now", () => iso(now())],
      ["1 ms ago", () => iso(now() - 1)],
      ["last year", () => "2025-06-01T08:00:00Z"],
    ])("refuses expires_at %s, on create and on refresh (400 naming the field)", async (_label, at) => {
      const { harness, tokens } = demo;
      const res = await harness.request("POST", "/v2/api-keys", {
        token: tokens.member,
        body: { name: "stale", expires_at: at() },
      });
      expect((await expectProblem(res, 400)).detail).toContain("expires_at");
      const key = await createUserKey(harness, tokens.member);
      const refresh = await refreshKey(harness, tokens.member, key.id, { expires_at: at() });
      expect((await expectProblem(refresh, 400)).detail).toContain("expires_at");
      expect(await meStatus(harness, key.key)).toBe(200);
    });

    it("accepts expires_at 1 ms in the future", async () => {
      const res = await demo.harness.request("POST", "/v2/api-keys", {
        token: demo.tokens.member,
        body: { name: "just in time", expires_at: iso(now() + 1) },
      });
      expect(res.status).toBe(201);
    });
  });

  describe("refresh and grace", () => {
    it("the old secret works until refresh + grace − 1 ms and is dead at refresh + grace; the new one lives on", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      harness.clock.advance(10 * minute);
      const refreshedAt = now();
      const renewed = await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 300 });
      const graceEnd = refreshedAt + 300 * second;
      const details = await listKeys(harness, tokens.member, "include=details&limit=100");
      expect(details.api_keys.find((k) => k.id === key.id)?.grace_until).toBe(iso(graceEnd));

      harness.clock.set(graceEnd - 1);
      expect(await meStatus(harness, key.key)).toBe(200);
      expect(await meStatus(harness, renewed.key)).toBe(200);
      harness.clock.set(graceEnd);
      expect(await meStatus(harness, key.key)).toBe(401);
      expect(await meStatus(harness, renewed.key)).toBe(200);
      // grace_until is shown only while it is in the future.
      const after = await listKeys(harness, tokens.member, "include=details&limit=100");
      expect(after.api_keys.find((k) => k.id === key.id)).not.toHaveProperty("grace_until");
      harness.clock.set(graceEnd + 100 * hour);
      expect(await meStatus(harness, renewed.key)).toBe(200);
    });

    it("caps the grace at the old secret's own expiry (the min rule)", async () => {
      const { harness, tokens } = demo;
      const oldExpiry = now() + 30 * second;
      const key = await createKey(harness, tokens.member, {
        name: "short-lived",
        expires_at: iso(oldExpiry),
      });
      const renewed = await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 3600 });
      expect(renewed).not.toHaveProperty("expires_at");
      const details = await listKeys(harness, tokens.member, "include=details&limit=100");
      expect(details.api_keys.find((k) => k.id === key.id)?.grace_until).toBe(iso(oldExpiry));
      harness.clock.set(oldExpiry - 1);
      expect(await meStatus(harness, key.key)).toBe(200);
      harness.clock.set(oldExpiry);
      expect(await meStatus(harness, key.key)).toBe(401);
      expect(await meStatus(harness, renewed.key)).toBe(200);
    });

    it.each([
      ["grace 0", { grace_period_seconds: 0 }],
      ["no grace given", {}],
    ])("%s kills the old secret at once", async (_label, body) => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      const renewed = await refreshed(harness, tokens.member, key.id, body);
      expect(await meStatus(harness, key.key)).toBe(401);
      expect(await meStatus(harness, renewed.key)).toBe(200);
    });

    it("a refresh with grace 0 after one with grace ends the oldest secret too", async () => {
      const { harness, tokens } = demo;
      const first = await createUserKey(harness, tokens.member);
      const middle = await refreshed(harness, tokens.member, first.id, { grace_period_seconds: 3600 });
      expect(await meStatus(harness, first.key)).toBe(200);
      const third = await refreshed(harness, tokens.member, first.id, { grace_period_seconds: 0 });
      expect(await meStatus(harness, first.key)).toBe(401);
      expect(await meStatus(harness, middle.key)).toBe(401);
      expect(await meStatus(harness, third.key)).toBe(200);
    });

    it("at most two secrets are live: a second refresh with grace ends the oldest at once", async () => {
      const { harness, tokens } = demo;
      const first = await createUserKey(harness, tokens.member);
      const middle = await refreshed(harness, tokens.member, first.id, { grace_period_seconds: 3600 });
      const third = await refreshed(harness, tokens.member, first.id, { grace_period_seconds: 3600 });
      expect(await meStatus(harness, first.key)).toBe(401);
      expect(await meStatus(harness, middle.key)).toBe(200);
      expect(await meStatus(harness, third.key)).toBe(200);
    });

    it("no secret outlives the one that replaced it, through a chain of refreshes with grace", async () => {
      const { harness, tokens } = demo;
      const created = await createUserKey(harness, tokens.member);
      const secrets = [created.key];
      let lastGraceEnd = 0;
      for (const grace of [3600, 600, 60, 0, 120]) {
        harness.clock.advance(10 * second);
        secrets.push(
          (await refreshed(harness, tokens.member, created.id, { grace_period_seconds: grace })).key,
        );
        lastGraceEnd = now() + grace * second;
      }
      // While the last grace runs: only the last two can be live (the ones before the grace-0
      // refresh ended with it).
      const live = async () => {
        const out = [];
        for (const secret of secrets) if ((await meStatus(harness, secret)) === 200) out.push(secret);
        return out;
      };
      expect(await live()).toEqual(secrets.slice(-2));
      // At the end of the last refresh's grace, every older secret has ended with the one it replaced.
      harness.clock.set(lastGraceEnd);
      expect(await live()).toEqual(secrets.slice(-1));
    });

    it("accepts a refresh with no body at all", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      const res = await harness.request("POST", `/v2/api-keys/${encodeURIComponent(key.id)}/refresh`, {
        token: tokens.member,
      });
      expect(res.status).toBe(200);
    });

    it("sets the new secret's expiry from the refresh, and clears it when none is given", async () => {
      const { harness, tokens } = demo;
      const key = await createKey(harness, tokens.member, {
        name: "rotating",
        expires_at: iso(now() + hour),
      });
      const newExpiry = now() + 2 * hour;
      const renewed = await refreshed(harness, tokens.member, key.id, { expires_at: iso(newExpiry) });
      expect(renewed.expires_at).toBe(iso(newExpiry));
      harness.clock.set(newExpiry - 1);
      expect(await meStatus(harness, renewed.key)).toBe(200);
      harness.clock.set(newExpiry);
      expect(await meStatus(harness, renewed.key)).toBe(401);
    });

    it.each([
      ["more than a day", 86_401],
      ["negative", -1],
      ["not whole", 1.5],
      ["a string", "60"],
      ["a boolean", true],
    ])("refuses grace_period_seconds %s (400 naming the field)", async (_label, grace) => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      const res = await refreshKey(harness, tokens.member, key.id, { grace_period_seconds: grace });
      expect((await expectProblem(res, 400)).detail).toContain("grace_period_seconds");
      expect(await meStatus(harness, key.key)).toBe(200);
    });

    it("accepts the largest grace, 86400 seconds", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 86_400 });
      harness.clock.set(now() + 86_400 * second - 1);
      expect(await meStatus(harness, key.key)).toBe(200);
    });

    it("refreshing a revoked key is a 409", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      expect((await revokeKey(harness, tokens.member, key.id)).status).toBe(204);
      await expectProblem(await refreshKey(harness, tokens.member, key.id), 409);
    });

    it("keeps id, name, description, type, space, roles and the bot user; answers with no-store", async () => {
      const { harness, tokens, spaceIds } = demo;
      const created = await createKey(harness, tokens.member, {
        name: "deploy bot",
        description: "Deploys Staging",
        key_type: "service",
        space_id: spaceIds.Staging,
        roles: { space_role: "admin", org_role: "read-only", account_role: "member" },
      });
      const botBefore = await meOf(harness, created.key);
      const query = `space_id=${encodeURIComponent(spaceIds.Staging)}&include=details&limit=100`;
      // The verification above records last_used_at after answering; read "before" once it is written.
      const before = await vi.waitFor(
        async () => {
          const row = (await listKeys(harness, tokens.member, query)).api_keys.find(
            (k) => k.id === created.id,
          );
          expect(row?.last_used_at).toBeTruthy();
          return row;
        },
        { timeout: 5000, interval: 10 },
      );

      const res = await refreshKey(harness, tokens.member, created.id);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const renewed = (await res.json()) as ApiKeyCreatedJson;
      expect(renewed).toMatchObject({
        id: created.id,
        name: "deploy bot",
        description: "Deploys Staging",
        key_type: "service",
        status: "active",
        created_at: created.created_at,
        created_by_user_id: created.created_by_user_id,
      });
      expect(renewed.key).not.toBe(created.key);
      expect(renewed.redacted_key).toBe(`${renewed.key.slice(0, 6)}...${renewed.key.slice(69)}`);

      const after = (await listKeys(harness, tokens.member, query)).api_keys.find((k) => k.id === created.id);
      expect(after).toEqual({ ...before, redacted_key: renewed.redacted_key });
      expect(after?.roles).toEqual({ space_role: "admin", org_role: "read-only", account_role: "member" });
      const botAfter = await meOf(harness, renewed.key);
      expect(botAfter.user.id).toBe(botBefore.user.id);
      expect(botAfter.user.kind).toBe("bot");
      expect(botAfter.credential).toEqual({ type: "service_key", api_key_id: created.id });
      expect(botAfter.organizations).toEqual(botBefore.organizations);
    });

    it("create answers 201 with the key once, no-store, and the key object's fields", async () => {
      const res = await demo.harness.request("POST", "/v2/api-keys", {
        token: demo.tokens.member,
        body: { name: "  padded name  " },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as ApiKeyCreatedJson;
      expect(body.name).toBe("padded name");
      expect(Object.keys(body).sort()).toEqual([...REQUIRED_FIELDS, "key"].sort());
      expect(body.created_at).toBe(START);
      // The secret is never shown again.
      const listed = await listKeys(demo.harness, demo.tokens.member, "include=details&limit=100");
      expect(JSON.stringify(listed)).not.toContain(body.key);
    });
  });

  describe("listing", () => {
    let fixtures: Record<string, ApiKeyCreatedJson>;
    let tag: string;
    beforeAll(async () => {
      const { harness, tokens, spaceIds } = demo;
      tag = randomUUID().slice(0, 8);
      const n = (name: string) => `${tag} ${name}`;
      fixtures = {
        maxUser: await createKey(harness, tokens.member, { name: n("Max user"), description: "laptop" }),
        maxRevoked: await createUserKey(harness, tokens.member, n("Max revoked")),
        rileyUser: await createUserKey(harness, tokens.readOnly, n("Riley user")),
        prodService: await createServiceKey(
          harness,
          tokens.member,
          spaceIds.Production,
          {},
          n("Prod service"),
        ),
        stagingService: await createServiceKey(
          harness,
          tokens.admin,
          spaceIds.Staging,
          {},
          n("Staging service"),
        ),
        experimentsService: await createServiceKey(
          harness,
          tokens.admin,
          spaceIds.Experiments,
          {},
          n("Exp service"),
        ),
      };
      expect((await revokeKey(harness, tokens.member, fixtures.maxRevoked?.id ?? "")).status).toBe(204);
    });

    const ids = (keys: ApiKeyJson[]) => keys.map((k) => k.id);
    const fixtureId = (name: string) => fixtures[name]?.id ?? "missing fixture";

    it("by default lists only the caller's own active user keys", async () => {
      const mine = await listAll(demo.harness, demo.tokens.member, `name=${encodeURIComponent(tag)}`);
      expect(ids(mine)).toEqual([fixtureId("maxUser")]);
      const all = await listAll(demo.harness, demo.tokens.member);
      expect(all.every((k) => k.key_type === "user" && k.created_by_user_id === demo.userIds.member)).toBe(
        true,
      );
      // Even an account admin's default listing is her own keys only.
      const ada = await listAll(demo.harness, demo.tokens.admin, `name=${encodeURIComponent(tag)}`);
      expect(ada).toEqual([]);
    });

    it("status=revoked and status=deleted list the revoked keys, and only those", async () => {
      for (const status of ["revoked", "deleted", "REVOKED"]) {
        const keys = await listAll(
          demo.harness,
          demo.tokens.member,
          `status=${status}&name=${encodeURIComponent(tag)}`,
        );
        expect(ids(keys)).toEqual([fixtureId("maxRevoked")]);
        expect(keys[0]?.status).toBe("revoked");
      }
      await expectProblem(
        await demo.harness.request("GET", "/v2/api-keys?status=gone", { token: demo.tokens.member }),
        400,
      );
    });

    it("space_id lists that space's service keys; key_type=service alone lists every reachable space's", async () => {
      const { harness, tokens, spaceIds } = demo;
      const q = `name=${encodeURIComponent(tag)}`;
      const prod = await listAll(
        harness,
        tokens.readOnly,
        `space_id=${encodeURIComponent(spaceIds.Production)}&${q}`,
      );
      expect(ids(prod)).toEqual([fixtureId("prodService")]);
      const rileyAll = await listAll(harness, tokens.readOnly, `key_type=service&${q}`);
      expect(new Set(ids(rileyAll))).toEqual(
        new Set([fixtureId("stagingService"), fixtureId("prodService")]),
      );
      const adaAll = await listAll(harness, tokens.admin, `key_type=service&${q}`);
      expect(new Set(ids(adaAll))).toEqual(
        new Set([fixtureId("stagingService"), fixtureId("prodService"), fixtureId("experimentsService")]),
      );
      await expectProblem(
        await harness.request("GET", `/v2/api-keys?space_id=${encodeURIComponent(spaceIds.Experiments)}`, {
          token: tokens.readOnly,
        }),
        404,
      );
    });

    it("user_id alone lists that user's user keys, for account admins only", async () => {
      const { harness, tokens, userIds } = demo;
      const q = `user_id=${encodeURIComponent(userIds.readOnly)}&name=${encodeURIComponent(tag)}`;
      expect(ids(await listAll(harness, tokens.admin, q))).toEqual([fixtureId("rileyUser")]);
      await expectProblem(await harness.request("GET", `/v2/api-keys?${q}`, { token: tokens.member }), 403);
      const ownByMax = `user_id=${encodeURIComponent(userIds.member)}&name=${encodeURIComponent(tag)}`;
      expect(ids(await listAll(harness, tokens.admin, ownByMax))).toEqual([fixtureId("maxUser")]);
    });

    it("the name filter is a case-insensitive substring, with % and _ taken literally", async () => {
      const { harness, tokens } = demo;
      const upper = await listAll(
        harness,
        tokens.member,
        `name=${encodeURIComponent(`${tag} MAX USER`.toUpperCase())}`,
      );
      expect(ids(upper)).toEqual([fixtureId("maxUser")]);
      expect(await listAll(harness, tokens.member, `name=${encodeURIComponent(`${tag}%`)}`)).toEqual([]);
      expect(await listAll(harness, tokens.member, `name=${encodeURIComponent(`${tag}_Max`)}`)).toEqual([]);
    });

    it("items carry exactly the contract's fields, never null; include=details adds exactly the extensions", async () => {
      const { harness, tokens, spaceIds, userIds } = demo;
      const plain = await listKeys(harness, tokens.admin, `key_type=service&limit=100`);
      const mine = await listKeys(harness, tokens.member, `limit=100`);
      for (const item of [...plain.api_keys, ...mine.api_keys]) {
        for (const field of REQUIRED_FIELDS) expect(item).toHaveProperty(field);
        expect(Object.keys(item).filter((f) => !KEY_FIELDS.includes(f))).toEqual([]);
      }
      expectNoNulls(plain);
      expectNoNulls(mine);
      const withDescription = mine.api_keys.find((k) => k.id === fixtureId("maxUser"));
      expect(withDescription?.description).toBe("laptop");
      expect(plain.pagination).toEqual({ has_more: false });

      const detailed = await listKeys(
        harness,
        tokens.member,
        `space_id=${encodeURIComponent(spaceIds.Production)}&include=details&name=${encodeURIComponent(tag)}`,
      );
      expectNoNulls(detailed);
      const [service] = detailed.api_keys;
      expect(
        Object.keys(service ?? {})
          .filter((f) => !KEY_FIELDS.includes(f))
          .sort(),
      ).toEqual(["created_by", "roles", "space_id"].sort());
      expect(service?.space_id).toBe(spaceIds.Production);
      expect(service?.roles).toEqual({ space_role: "member", org_role: "read-only", account_role: "member" });
      expect(service?.created_by).toEqual({
        id: userIds.member,
        name: "Max Member",
        email: "member@example.com",
      });
      const userDetailed = await listKeys(
        harness,
        tokens.member,
        `include=details&name=${encodeURIComponent(tag)}`,
      );
      expect(
        Object.keys(userDetailed.api_keys[0] ?? {}).filter(
          (f) => !KEY_FIELDS.includes(f) && !DETAIL_FIELDS.includes(f),
        ),
      ).toEqual([]);
      expect(userDetailed.api_keys[0]).not.toHaveProperty("roles");
      expect(userDetailed.api_keys[0]).not.toHaveProperty("space_id");
    });

    it("pages newest first on (created_at, id), stable while new keys arrive", async () => {
      const { harness, tokens } = demo;
      const prefix = `page ${randomUUID().slice(0, 8)}`;
      const made: ApiKeyCreatedJson[] = [];
      for (let i = 0; i < 7; i++) {
        // Pairs share a created_at, so the id breaks ties.
        if (i % 2 === 0) harness.clock.advance(second);
        made.push(await createUserKey(harness, tokens.readOnly, `${prefix} ${i}`));
      }
      const expected = [...made]
        .sort((a, b) =>
          a.created_at === b.created_at
            ? decodeKeyId(b.id).localeCompare(decodeKeyId(a.id))
            : b.created_at.localeCompare(a.created_at),
        )
        .map((k) => k.id);

      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const body = await listKeys(
          harness,
          tokens.readOnly,
          `limit=2&name=${encodeURIComponent(prefix)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        expect(body.api_keys.length).toBeLessThanOrEqual(2);
        seen.push(...ids(body.api_keys));
        // A newer key arriving mid-way does not shift what is left to read.
        harness.clock.advance(second);
        await createUserKey(harness, tokens.readOnly, `${prefix} late ${page}`);
        if (!body.pagination.has_more) {
          expect(body.pagination).not.toHaveProperty("next_cursor");
          break;
        }
        cursor = body.pagination.next_cursor;
      }
      expect(seen).toEqual(expected);
    });

    it("refuses a tampered cursor and a bad limit with 400", async () => {
      const { harness, tokens } = demo;
      const first = await listKeys(harness, tokens.member, "limit=1");
      const cursor = first.pagination.next_cursor ?? "";
      expect(cursor).not.toBe("");
      const flipped = cursor.slice(0, -2) + (cursor.endsWith("A") ? "B" : "A") + cursor.slice(-1);
      const bad = [
        flipped,
        `${cursor}x`,
        Buffer.from("2026-01-01T00:00:00.000Z|not-a-uuid").toString("base64url"),
        Buffer.from(`1999|${randomUUID()}`).toString("base64url"),
        "!!!",
        "a".repeat(300),
      ];
      for (const c of bad) {
        const res = await harness.request("GET", `/v2/api-keys?cursor=${encodeURIComponent(c)}`, {
          token: tokens.member,
        });
        expect((await expectProblem(res, 400)).detail).toContain("cursor");
      }
      for (const limit of ["0", "101", "-1", "1.5", "ten"]) {
        const res = await harness.request("GET", `/v2/api-keys?limit=${limit}`, { token: tokens.member });
        expect((await expectProblem(res, 400)).detail).toContain("limit");
      }
    });

    it("a cursor from one space, used with another space_id, never returns the first space's keys", async () => {
      const { harness, tokens, spaceIds } = demo;
      const prefix = `cross ${randomUUID().slice(0, 8)}`;
      for (let i = 0; i < 3; i++) {
        harness.clock.advance(second);
        await createServiceKey(harness, tokens.member, spaceIds.Staging, {}, `${prefix} staging ${i}`);
        await createServiceKey(harness, tokens.member, spaceIds.Production, {}, `${prefix} production ${i}`);
      }
      const q = `name=${encodeURIComponent(prefix)}&limit=1`;
      const stagingPage = await listKeys(
        harness,
        tokens.member,
        `space_id=${encodeURIComponent(spaceIds.Staging)}&${q}`,
      );
      const cursor = stagingPage.pagination.next_cursor ?? "";
      expect(cursor).not.toBe("");
      const crossed = await listAll(
        harness,
        tokens.member,
        `space_id=${encodeURIComponent(spaceIds.Production)}&name=${encodeURIComponent(prefix)}&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(crossed.length).toBeGreaterThan(0);
      expect(crossed.every((k) => k.name.includes("production"))).toBe(true);
      // And Riley, with Max's cursor, still sees only her own keys.
      const rileyWithMaxCursor = await listAll(
        harness,
        tokens.readOnly,
        `cursor=${encodeURIComponent(cursor)}`,
      );
      expect(rileyWithMaxCursor.every((k) => k.created_by_user_id === demo.userIds.readOnly)).toBe(true);
    });
  });

  describe("last_used_at", () => {
    const lastUsed = async (id: string) => (await keyRow(demo.harness, id)).lastUsedAt?.toISOString() ?? null;

    it("is set after use, not rewritten within a minute, and updated after it", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      expect(await lastUsed(key.id)).toBeNull();
      const listedBefore = (await listAll(harness, tokens.member)).find((k) => k.id === key.id);
      expect(listedBefore).not.toHaveProperty("last_used_at");

      const t0 = now();
      expect(await meStatus(harness, key.key)).toBe(200);
      await vi.waitFor(async () => expect(await lastUsed(key.id)).toBe(iso(t0)), {
        timeout: 5000,
        interval: 10,
      });
      const listed = (await listAll(harness, tokens.member)).find((k) => k.id === key.id);
      expect(listed?.last_used_at).toBe(iso(t0));

      harness.clock.advance(30 * second);
      expect(await meStatus(harness, key.key)).toBe(200);
      // A barrier: a first use of another key, issued after, has landed; the first key's write would have too.
      const witness = await createUserKey(harness, tokens.member);
      expect(await meStatus(harness, witness.key)).toBe(200);
      await vi.waitFor(async () => expect(await lastUsed(witness.id)).toBe(iso(t0 + 30 * second)), {
        timeout: 5000,
        interval: 10,
      });
      expect(await lastUsed(key.id)).toBe(iso(t0));

      harness.clock.advance(31 * second);
      expect(await meStatus(harness, key.key)).toBe(200);
      await vi.waitFor(async () => expect(await lastUsed(key.id)).toBe(iso(t0 + 61 * second)), {
        timeout: 5000,
        interval: 10,
      });
    });
  });

  describe("audit", () => {
    let logs: MockInstance[];
    beforeAll(() => {
      logs = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation(() => undefined),
      );
    });
    afterAll(() => logs.forEach((spy) => spy.mockRestore()));

    it("create, refresh and revoke each write one row with actor, action, key and time — never the raw key", async () => {
      const { harness, tokens, userIds, spaceIds } = demo;
      const secrets: string[] = [];
      const key = await createServiceKey(harness, tokens.member, spaceIds.Staging);
      secrets.push(key.key);
      const created = harness.clock.now();
      harness.clock.advance(minute);
      const renewed = await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 60 });
      secrets.push(renewed.key);
      harness.clock.advance(minute);
      expect((await revokeKey(harness, tokens.admin, key.id)).status).toBe(204);
      // Some refused and failing requests too, whose errors might be logged.
      await refreshKey(harness, tokens.member, key.id);
      await refreshKey(harness, tokens.readOnly, key.id, { grace_period_seconds: "x" });
      await harness.request("GET", "/v2/me", { token: key.key });
      await harness.request("GET", "/v2/me", { token: `${renewed.key.slice(0, -1)}A` });

      const rows = await auditRows(harness, key.id);
      const byAction = (action: string) => rows.filter((r) => r.action === action);
      const maxUuid = uuidOf("User", userIds.member);
      const adaUuid = uuidOf("User", userIds.admin);
      expect(byAction("api_key.create")).toEqual([
        expect.objectContaining({
          actorUserId: maxUuid,
          actorCredential: "session",
          targetId: decodeKeyId(key.id),
          at: created,
        }),
      ]);
      expect(byAction("api_key.refresh")).toEqual([
        expect.objectContaining({
          actorUserId: maxUuid,
          targetId: decodeKeyId(key.id),
          at: new Date(created.getTime() + minute),
        }),
      ]);
      expect(byAction("api_key.revoke")).toEqual([
        expect.objectContaining({
          actorUserId: adaUuid,
          targetId: decodeKeyId(key.id),
          at: new Date(created.getTime() + 2 * minute),
        }),
      ]);
      expect(rows).toHaveLength(3);

      const everything = JSON.stringify(await harness.handle.db.select().from(auditLog));
      const logged = JSON.stringify(logs.flatMap((spy) => spy.mock.calls));
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
        expect(logged).not.toContain(secret);
        expect(everything).not.toContain(secret.slice(40));
      }
      expect(everything).not.toMatch(KEY_SEARCH_PATTERN);
      expect(logged).not.toMatch(KEY_SEARCH_PATTERN);
    });

    it("records the actor of a key-authenticated change as the key's user, with its credential type", async () => {
      const { harness, tokens, userIds } = demo;
      const maxKey = await createUserKey(harness, tokens.member);
      const child = await createUserKey(harness, maxKey.key);
      const [row] = await auditRows(harness, child.id, "api_key.create");
      expect(row?.actorUserId).toBe(uuidOf("User", userIds.member));
      expect(row?.actorCredential).toBe("user_key");
    });
  });
});

describe.each(testDatabases())("blocking, rate limits and failing closed ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database, {
      now: START,
      config: { keys: { changesPerCaller: { limit: 3, windowMs: minute } } },
    });
  });
  afterAll(() => demo.harness.close().catch(() => undefined));

  it("limits creates and refreshes per caller: 429 with Retry-After, nothing created, others unaffected", async () => {
    const { harness, tokens } = demo;
    const first = await createUserKey(harness, tokens.readOnly);
    await createUserKey(harness, tokens.readOnly);
    expect((await refreshKey(harness, tokens.readOnly, first.id, { grace_period_seconds: 60 })).status).toBe(
      200,
    );

    const limited = await harness.request("POST", "/v2/api-keys", {
      token: tokens.readOnly,
      body: { name: "one too many" },
    });
    const text = await limited.clone().text();
    await expectProblem(limited, 429, "rate_limited");
    expect(text).not.toMatch(KEY_SEARCH_PATTERN);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expectProblem(await refreshKey(harness, tokens.readOnly, first.id), 429, "rate_limited");
    expect((await listAll(harness, tokens.readOnly)).some((k) => k.name === "one too many")).toBe(false);

    // Another caller has a budget of their own.
    expect(
      (await harness.request("POST", "/v2/api-keys", { token: tokens.admin, body: { name: "ada's" } }))
        .status,
    ).toBe(201);

    harness.clock.advance(minute + 1);
    expect(
      (await harness.request("POST", "/v2/api-keys", { token: tokens.readOnly, body: { name: "later" } }))
        .status,
    ).toBe(201);
  });

  it("blocking a user stops their user keys at once; service keys they created keep working", async () => {
    const { harness, tokens, spaceIds, userIds } = demo;
    const userKey = await createUserKey(harness, tokens.member);
    const serviceKey = await createServiceKey(harness, tokens.member, spaceIds.Staging);
    expect(await meStatus(harness, userKey.key)).toBe(200);

    const res = await harness.request("DELETE", `/v2/users/${encodeURIComponent(userIds.member)}`, {
      token: tokens.admin,
    });
    expect(res.status).toBe(204);
    await expectProblem(await harness.request("GET", "/v2/me", { token: userKey.key }), 401);
    expect(await meStatus(harness, tokens.member)).toBe(401);
    const bot = await meOf(harness, serviceKey.key);
    expect(bot.user.kind).toBe("bot");
    expect(bot.organizations.flatMap((o) => o.spaces.map((s) => s.name))).toEqual(["Staging"]);
    // The service key can still be listed and managed by an admin of its space.
    const listed = await listAll(harness, tokens.admin, `space_id=${encodeURIComponent(spaceIds.Staging)}`);
    expect(listed.map((k) => k.id)).toContain(serviceKey.id);
  });

  it("answers 503 problem+json, never 200, once the database handle is closed", async () => {
    // Last in this block: it closes the database under the harness.
    const { harness, tokens } = demo;
    const key = await createUserKey(harness, tokens.admin);
    expect(await meStatus(harness, key.key)).toBe(200);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await harness.handle.close();
      for (const credential of [key.key, tokens.admin]) {
        const res = await harness.request("GET", "/v2/me", { token: credential });
        const text = await res.clone().text();
        expect(res.status, text).not.toBe(200);
        expect(res.status, text).not.toBe(401);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(text).not.toContain(key.key);
        await expectProblem(res, 503, "database_unavailable");
        expect(res.headers.get("retry-after")).toBe("1");
      }
    } finally {
      errors.mockRestore();
    }
  });
});

describe("verification fails closed when PostgreSQL is unreachable", () => {
  it("answers 503 with Retry-After for a well-formed key, never 200", async () => {
    const pool = new pg.Pool({
      connectionString: "postgres://postgres@127.0.0.1:1/keydesk",
      connectionTimeoutMillis: 2000,
    });
    pool.on("error", () => undefined);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const api = createApi({ db: drizzle({ client: pool, schema }), clock: new ManualClock(START) });
      const key = generateKey();
      const res = await api.request("/v2/me", { headers: { authorization: `Bearer ${key}` } });
      expect(await res.clone().text()).not.toContain(key);
      await expectProblem(res, 503, "database_unavailable");
      expect(res.headers.get("retry-after")).toBe("1");
      const wrongId = encodeId("ApiKey", randomUUID());
      const revoke = await api.request(`/v2/api-keys/${encodeURIComponent(wrongId)}/revoke`, {
        method: "PUT",
        headers: { authorization: `Bearer ${key}` },
      });
      expect(revoke.status).toBe(503);
    } finally {
      errors.mockRestore();
      await pool.end();
    }
  });
});
