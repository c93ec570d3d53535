/**
 * lifecycle.md §4 — every key in the account: `GET /v2/api-keys?scope=account` [ext] with its filters,
 * and `POST /v2/api-keys/revoke` [ext], many keys in one transaction.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { testDatabases } from "../testing/test-databases";
import {
  auditRows,
  createKey,
  createServiceKey,
  createUserKey,
  expectProblem,
  keyRow,
  listAll,
  listKeys,
  meStatus,
  missingKeyId,
  revokeKey,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import type { ApiKeyCreatedJson } from "../schemas/api-keys";
import { ManualClock } from "../clock";
import { seedDemoDirectory } from "../directory/demo-seed";
import { listenForKeyChanges, VerificationCache } from "../keys/verification-cache";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { createApi } from "./app";

const DAY = 86_400_000;

describe.each(testDatabases())("every key in the account ($name)", (database) => {
  let demo: Demo;
  const tag = Math.random().toString(36).slice(2, 8);
  const keys = {} as Record<
    "usedLongAgo" | "neverUsedOld" | "serviceSoon" | "fresh" | "adminLater" | "revoked",
    ApiKeyCreatedJson
  >;
  let start: number;

  /** A verification with the key, then until its (batched) last_used_at is written. */
  const use = async (key: ApiKeyCreatedJson) => {
    expect(await meStatus(demo.harness, key.key)).toBe(200);
    const now = demo.harness.clock.now().getTime();
    await vi.waitFor(async () =>
      expect((await keyRow(demo.harness, key.id)).lastUsedAt?.getTime()).toBe(now),
    );
  };

  beforeAll(async () => {
    demo = await setupDemo(database);
    const { harness, tokens, spaceIds } = demo;
    start = harness.clock.now().getTime();
    const at = (ms: number) => new Date(harness.clock.now().getTime() + ms).toISOString();
    // Forty days ago: Ada's key used then, Max's key never used, Max's service key (expires in 45 days).
    keys.usedLongAgo = await createKey(harness, tokens.admin, { name: `used long ago ${tag}` });
    keys.neverUsedOld = await createKey(harness, tokens.member, { name: `never used ${tag}` });
    keys.serviceSoon = await createKey(harness, tokens.member, {
      name: `service soon ${tag}`,
      key_type: "service",
      space_id: spaceIds.Staging,
      expires_at: at(45 * DAY),
    });
    keys.revoked = await createKey(harness, tokens.member, { name: `revoked ${tag}` });
    expect((await revokeKey(harness, tokens.member, keys.revoked.id)).status).toBe(204);
    await use(keys.usedLongAgo);
    harness.clock.advance(40 * DAY);
    // Sessions do not last forty days: sign in again.
    for (const user of ["admin", "member", "readOnly"] as const) tokens[user] = await harness.signIn(user);
    // Today: the service key used; Max's new key; Ada's key that expires in 20 days.
    await use(keys.serviceSoon);
    keys.fresh = await createKey(harness, tokens.member, { name: `fresh ${tag}` });
    keys.adminLater = await createKey(harness, tokens.admin, {
      name: `admin later ${tag}`,
      expires_at: at(20 * DAY),
    });
  });
  afterAll(() => demo.harness.close());

  const names = async (query: string) =>
    (await listAll(demo.harness, demo.tokens.admin, `scope=account&${query}`)).map((k) => k.name).sort();
  const ours = (...list: (keyof typeof keys)[]) => list.map((k) => keys[k].name).sort();
  const iso = (ms: number) => new Date(ms).toISOString();
  const now = () => demo.harness.clock.now().getTime();

  describe("GET /v2/api-keys?scope=account", () => {
    it("[account admin] lists every active key of every person and space, with owner and space", async () => {
      expect(await names(`name=${tag}`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "serviceSoon", "fresh", "adminLater"),
      );
      const [service] = (
        await listKeys(demo.harness, demo.tokens.admin, `scope=account&name=service soon ${tag}`)
      ).api_keys;
      expect(service).toMatchObject({
        key_type: "service",
        space_id: demo.spaceIds.Staging,
        space_name: "Staging",
        created_by: { id: demo.userIds.member, name: "Max Member", email: "member@example.com" },
      });
      // A plain list of Ada's own keys does not hold Max's.
      const own = (await listAll(demo.harness, demo.tokens.admin, `name=${tag}`)).map((k) => k.name);
      expect(own).not.toContain(keys.neverUsedOld.name);
    });

    it("[member] and [read-only] are refused with 403", async () => {
      for (const token of [demo.tokens.member, demo.tokens.readOnly]) {
        const res = await demo.harness.request("GET", "/v2/api-keys?scope=account", { token });
        await expectProblem(res, 403, "forbidden");
      }
    });

    it("filters by type and status", async () => {
      expect(await names(`name=${tag}&key_type=service`)).toEqual(ours("serviceSoon"));
      expect(await names(`name=${tag}&key_type=user`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "fresh", "adminLater"),
      );
      expect(await names(`name=${tag}&status=revoked`)).toEqual(ours("revoked"));
      expect(await names(`name=${tag}&status=all`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "serviceSoon", "fresh", "adminLater", "revoked"),
      );
    });

    it("filters by owner: the person's user keys and the service keys they created", async () => {
      expect(await names(`name=${tag}&owner_id=${encodeURIComponent(demo.userIds.member)}`)).toEqual(
        ours("neverUsedOld", "serviceSoon", "fresh"),
      );
      expect(await names(`name=${tag}&owner_id=${encodeURIComponent(demo.userIds.admin)}`)).toEqual(
        ours("usedLongAgo", "adminLater"),
      );
      expect(await names(`owner_id=not-an-id`)).toEqual([]);
    });

    it("filters by expires_before (keys without an expiry never match)", async () => {
      expect(await names(`name=${tag}&expires_before=${iso(now() + 7 * DAY)}`)).toEqual(ours("serviceSoon"));
      expect(await names(`name=${tag}&expires_before=${iso(now() + 30 * DAY)}`)).toEqual(
        ours("serviceSoon", "adminLater"),
      );
      expect(await names(`name=${tag}&expires_before=${iso(now())}`)).toEqual([]);
    });

    it("filters by unused_since: used before it, or never used and created before it", async () => {
      expect(await names(`name=${tag}&unused_since=${iso(now() - 30 * DAY)}`)).toEqual(
        ours("usedLongAgo", "neverUsedOld"),
      );
      // Before the first use, nothing was made yet.
      expect(await names(`name=${tag}&unused_since=${iso(start - 1)}`)).toEqual([]);
      // Any moment after today's use: every key, the fresh ones included (never used, made before it).
      expect(await names(`name=${tag}&unused_since=${iso(now() + 1)}`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "serviceSoon", "fresh", "adminLater"),
      );
    });

    it("filters by exceeds_policy: keys the key policy would refuse today (none while nothing is capped)", async () => {
      const setCaps = async (caps: { user: number | null; service: number | null }) => {
        const res = await demo.harness.request("PUT", "/v2/key-policy", {
          token: demo.tokens.admin,
          body: { max_lifetime_days: caps, default_lifetime_days: { user: null, service: null } },
        });
        expect(res.status, await res.clone().text()).toBe(200);
      };
      onTestFinished(() => setCaps({ user: null, service: null }));
      expect(await names(`name=${tag}&exceeds_policy=true`)).toEqual([]);
      await setCaps({ user: 30, service: null });
      // Never-expiring user keys exceed a 30-day cap; Ada's key expiring in 20 days does not.
      expect(await names(`name=${tag}&exceeds_policy=true`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "fresh"),
      );
      expect(await names(`name=${tag}&exceeds_policy=false`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "serviceSoon", "fresh", "adminLater"),
      );
      // The service key expires in five days now (made forty days ago for forty-five).
      await setCaps({ user: 30, service: 7 });
      expect(await names(`name=${tag}&exceeds_policy=true&key_type=service`)).toEqual([]);
      await setCaps({ user: 30, service: 1 });
      expect(await names(`name=${tag}&exceeds_policy=true`)).toEqual(
        ours("usedLongAgo", "neverUsedOld", "serviceSoon", "fresh"),
      );
      expect(await names(`name=${tag}&exceeds_policy=true&key_type=service`)).toEqual(ours("serviceSoon"));
      await expectProblem(
        await demo.harness.request("GET", "/v2/api-keys?exceeds_policy=true", { token: demo.tokens.admin }),
        400,
        "invalid_request",
      );
    });

    it("combines filters and pages with a cursor like the other lists", async () => {
      const all = await listAll(
        demo.harness,
        demo.tokens.admin,
        `scope=account&status=all&name=${tag}&limit=1`,
      );
      expect(all.map((k) => k.name).sort()).toEqual(
        ours("usedLongAgo", "neverUsedOld", "serviceSoon", "fresh", "adminLater", "revoked"),
      );
      const first = await listKeys(
        demo.harness,
        demo.tokens.admin,
        `scope=account&status=all&name=${tag}&limit=2`,
      );
      expect(first.pagination.has_more).toBe(true);
      expect(
        await names(
          `name=${tag}&owner_id=${encodeURIComponent(demo.userIds.member)}&key_type=user&unused_since=${iso(now() - DAY)}`,
        ),
      ).toEqual(ours("neverUsedOld"));
    });

    it("refuses the inventory's filters without scope=account, and space_id or user_id with it", async () => {
      for (const query of [
        `owner_id=${encodeURIComponent(demo.userIds.member)}`,
        `expires_before=${iso(now())}`,
        `unused_since=${iso(now())}`,
        `scope=account&space_id=${encodeURIComponent(demo.spaceIds.Staging)}`,
        `scope=account&user_id=${encodeURIComponent(demo.userIds.member)}`,
        "scope=everything",
        "scope=account&unused_since=yesterday",
      ]) {
        const res = await demo.harness.request("GET", `/v2/api-keys?${query}`, { token: demo.tokens.admin });
        await expectProblem(res, 400, "invalid_request");
      }
    });
  });

  describe("POST /v2/api-keys/revoke", () => {
    const revokeMany = (token: string, ids: unknown) =>
      demo.harness.request("POST", "/v2/api-keys/revoke", { token, body: { ids } });

    it("[account admin] revokes several people's keys at once; each stops verifying at once, one audit row each", async () => {
      const { harness, tokens } = demo;
      const a = await createUserKey(harness, tokens.member);
      const b = await createUserKey(harness, tokens.readOnly);
      const c = await createServiceKey(harness, tokens.member, demo.spaceIds.Staging);
      // Verified once, so each sits in the verification cache.
      for (const key of [a, b, c]) expect(await meStatus(harness, key.key)).toBe(200);
      const res = await revokeMany(tokens.admin, [a.id, b.id, c.id]);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ revoked: 3 });
      for (const key of [a, b, c]) {
        expect(await meStatus(harness, key.key)).toBe(401);
        expect((await keyRow(harness, key.id)).status).toBe("revoked");
        const rows = await auditRows(harness, key.id, "api_key.revoke");
        expect(rows).toHaveLength(1);
        expect(rows[0]?.actorUserId).toBe(uuidOf("User", demo.userIds.admin));
      }
    });

    it("skips keys already revoked and does not count them", async () => {
      const { harness, tokens } = demo;
      const gone = await createUserKey(harness, tokens.member);
      const live = await createUserKey(harness, tokens.member);
      expect((await revokeKey(harness, tokens.member, gone.id)).status).toBe(204);
      const res = await revokeMany(tokens.admin, [gone.id, live.id]);
      expect(await res.json()).toEqual({ revoked: 1 });
      expect(await auditRows(harness, gone.id, "api_key.revoke")).toHaveLength(1);
    });

    it("[member] revokes their own keys by the one-key rules", async () => {
      const { harness, tokens } = demo;
      const own = await createUserKey(harness, tokens.member);
      const service = await createServiceKey(harness, tokens.member, demo.spaceIds.Staging);
      const res = await revokeMany(tokens.member, [own.id, service.id]);
      expect(await res.json()).toEqual({ revoked: 2 });
    });

    it("[member] with one key they may not revoke: the whole request is refused and nothing is revoked", async () => {
      const { harness, tokens } = demo;
      // Ada's service key in Production, where Max is a member but not its creator: 403 for one key.
      const forbiddenKey = await createServiceKey(harness, tokens.admin, demo.spaceIds.Production);
      await expectProblem(await revokeKey(harness, tokens.member, forbiddenKey.id), 403, "forbidden");
      // Keys of Max's own that come before it in the order they are revoked (by id), so the refusal
      // happens after they were already updated inside the transaction.
      const before: ApiKeyCreatedJson[] = [];
      for (let i = 0; i < 40 && before.length < 2; i++) {
        const own = await createUserKey(harness, tokens.member);
        if (uuidOf("ApiKey", own.id) < uuidOf("ApiKey", forbiddenKey.id)) before.push(own);
      }
      expect(before.length).toBeGreaterThan(0);
      const refused = await expectProblem(
        await revokeMany(tokens.member, [...before.map((k) => k.id), forbiddenKey.id]),
        403,
        "forbidden",
      );
      // It names the key that refused the request, by its place in `ids`.
      expect(refused.detail).toContain(forbiddenKey.id);
      expect(refused.errors?.[0]?.field).toBe(`ids.${before.length}`);
      for (const key of [...before, forbiddenKey]) {
        expect((await keyRow(harness, key.id)).status).toBe("active");
        expect(await auditRows(harness, key.id, "api_key.revoke")).toHaveLength(0);
        expect(await meStatus(harness, key.key)).toBe(200);
      }
      // A key the caller cannot see (Ada's user key): 404, nothing revoked either.
      const own = await createUserKey(harness, tokens.member);
      const adas = await createUserKey(harness, tokens.admin);
      await expectProblem(await revokeMany(tokens.member, [own.id, adas.id]), 404, "not_found");
      await expectProblem(await revokeMany(tokens.member, [own.id, missingKeyId()]), 404, "not_found");
      expect((await keyRow(harness, own.id)).status).toBe("active");
      expect((await keyRow(harness, adas.id)).status).toBe("active");
    });

    it("takes 1–500 distinct ids: empty, 501 and duplicates are 400", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      const many = Array.from({ length: 501 }, () => missingKeyId());
      for (const ids of [[], many, [key.id, key.id], "nope"]) {
        await expectProblem(await revokeMany(tokens.admin, ids), 400, "invalid_request");
      }
      expect((await keyRow(harness, key.id)).status).toBe("active");
      // 500 is allowed: the one real key is revoked once the rest are ones the admin may revoke too.
      const res = await revokeMany(tokens.admin, [key.id]);
      expect(await res.json()).toEqual({ revoked: 1 });
    });

    it("needs a credential", async () => {
      await expectProblem(
        await demo.harness.request("POST", "/v2/api-keys/revoke", { body: { ids: [missingKeyId()] } }),
        401,
      );
    });
  });
});

describe.each(testDatabases())("revoking many keys with the verification cache on ($name)", (database) => {
  it("[account admin] revoked keys stop verifying at once, though each was cached", async () => {
    const handle = await database.open();
    try {
      await seedDemoDirectory(handle.db);
      const clock = new ManualClock(new Date().toISOString());
      const cache = new VerificationCache({ clock });
      // The cache serves only while its change listener is live, as in the server.
      const listener = await listenForKeyChanges(handle, cache, { log: () => undefined });
      onTestFinished(() => listener.close());
      const app = createApi({
        db: handle.db,
        clock,
        verificationCache: cache,
        config: { failedAuthPerMinute: 0 },
      });
      const call = async (method: string, path: string, token?: string, body?: unknown) =>
        app.request(path, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const signIn = async (who: "admin" | "member") =>
        (
          (await (
            await call("POST", "/v2/sessions", undefined, {
              email: DEMO_USERS[who].email,
              password: DEMO_PASSWORD,
            })
          ).json()) as { token: string }
        ).token;
      const admin = await signIn("admin");
      const member = await signIn("member");
      const made: ApiKeyCreatedJson[] = [];
      for (const name of ["cached one", "cached two"]) {
        const res = await call("POST", "/v2/api-keys", member, { name });
        expect(res.status).toBe(201);
        made.push((await res.json()) as ApiKeyCreatedJson);
      }
      for (const key of made) {
        expect((await call("GET", "/v2/me", key.key)).status).toBe(200);
        // The second answer comes from the cache: it holds the key now.
        expect((await call("GET", "/v2/me", key.key)).status).toBe(200);
      }
      expect(cache.size).toBeGreaterThanOrEqual(2);
      const res = await call("POST", "/v2/api-keys/revoke", admin, { ids: made.map((k) => k.id) });
      expect(await res.json()).toEqual({ revoked: 2 });
      for (const key of made) expect((await call("GET", "/v2/me", key.key)).status).toBe(401);
    } finally {
      await handle.close();
    }
  });
});
