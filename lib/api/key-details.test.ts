import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiKeyAddresses } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import {
  createKey,
  createServiceKey,
  createUserKey,
  expectProblem,
  keyRow,
  meOf,
  missingKeyId,
  refreshed,
  revokeKey,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import type { ApiKeyDetailsJson, ApiKeyEventListJson } from "../schemas/api-key-details";

// lifecycle.md §1: one key, and what happened to it.

const START = "2026-06-01T08:00:00.000Z";
const minute = 60_000;

describe.each(testDatabases())("one key and what happened to it ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    // One trusted proxy in front: the client address is the last X-Forwarded-For entry.
    demo = await setupDemo(database, { now: START, config: { trustedProxyHops: 1 } });
  });
  afterEach(() => demo.harness.clock.set(START));
  afterAll(() => demo.harness.close());

  const path = (id: string, rest = "") => `/v2/api-keys/${encodeURIComponent(id)}${rest}`;

  async function getKey(token: string, id: string, headers?: Record<string, string>, query = "") {
    const res = await demo.harness.request("GET", `${path(id)}${query}`, { token, headers });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiKeyDetailsJson;
  }

  async function events(token: string, id: string, query = "") {
    const res = await demo.harness.request("GET", `${path(id, "/events")}${query}`, { token });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiKeyEventListJson;
  }

  /** A verified call with the key, as a client behind the proxy at `address` would make it. */
  async function use(key: string, address: string, userAgent?: string) {
    const res = await demo.harness.request("GET", "/v2/me", {
      token: key,
      headers: { "x-forwarded-for": address, ...(userAgent ? { "user-agent": userAgent } : {}) },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }

  const advance = (ms: number) => demo.harness.clock.set(demo.harness.clock.now().getTime() + ms);

  describe("usage per client address", () => {
    it("verifications from two addresses behind the proxy show both, with counts, after the flush", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      await use(key.key, "203.0.113.7", "ingest/1.0");
      advance(minute);
      await use(key.key, "203.0.113.7", "ingest/1.1");
      await use(key.key, "198.51.100.23", "python-requests/2.32");
      advance(minute);
      await use(key.key, "203.0.113.7", "ingest/1.1");

      // Counted in memory only: nothing is written per request.
      const before = await harness.handle.db
        .select()
        .from(apiKeyAddresses)
        .where(eq(apiKeyAddresses.apiKeyId, uuidOf("ApiKey", key.id)));
      expect(before).toEqual([]);
      expect((await getKey(tokens.member, key.id)).usage?.addresses).toEqual([]);

      await harness.app.flushUsage();
      const usage = (await getKey(tokens.member, key.id)).usage;
      const t0 = new Date(START).getTime();
      expect(usage?.addresses).toEqual([
        {
          address: "203.0.113.7",
          first_seen_at: new Date(t0).toISOString(),
          last_seen_at: new Date(t0 + 2 * minute).toISOString(),
          requests: 3,
          user_agent: "ingest/1.1",
        },
        {
          address: "198.51.100.23",
          first_seen_at: new Date(t0 + minute).toISOString(),
          last_seen_at: new Date(t0 + minute).toISOString(),
          requests: 1,
          user_agent: "python-requests/2.32",
        },
      ]);
      // `last_used_at` keeps its own rhythm (at most one write a minute per key, off the request's path).
      expect(usage?.last_used_at).toBeDefined();

      // A second batch adds to the counts.
      advance(minute);
      await use(key.key, "198.51.100.23");
      await harness.app.flushUsage();
      const again = (await getKey(tokens.member, key.id)).usage?.addresses;
      expect(again?.map((a) => [a.address, a.requests])).toEqual([
        ["198.51.100.23", 2],
        ["203.0.113.7", 3],
      ]);
      // A request without a User-Agent keeps the last one seen.
      expect(again?.[0]?.user_agent).toBe("python-requests/2.32");
    });

    it("the address is the one the rate limits use: X-Forwarded-For's entry the trusted proxy saw", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      const res = await harness.request("GET", "/v2/me", {
        token: key.key,
        headers: { "x-forwarded-for": "192.0.2.99, 203.0.113.50" },
      });
      expect(res.status).toBe(200);
      await harness.app.flushUsage();
      const addresses = (await getKey(tokens.member, key.id)).usage?.addresses ?? [];
      expect(addresses.map((a) => a.address)).toEqual(["203.0.113.50"]);
    });

    it("keeps the 10 most recently seen addresses, and a user agent of at most 200 characters", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      for (let i = 1; i <= 6; i++) {
        await use(key.key, `192.0.2.${i}`, "x".repeat(300));
        advance(1000);
      }
      await harness.app.flushUsage();
      for (let i = 7; i <= 13; i++) {
        await use(key.key, `192.0.2.${i}`);
        advance(1000);
      }
      await harness.app.flushUsage();
      const addresses = (await getKey(tokens.member, key.id)).usage?.addresses ?? [];
      expect(addresses.map((a) => a.address)).toEqual(
        [13, 12, 11, 10, 9, 8, 7, 6, 5, 4].map((i) => `192.0.2.${i}`),
      );
      expect(addresses.at(-1)?.user_agent).toHaveLength(200);
      const rows = await harness.handle.db
        .select()
        .from(apiKeyAddresses)
        .where(eq(apiKeyAddresses.apiKeyId, uuidOf("ApiKey", key.id)));
      expect(rows).toHaveLength(10);
    });

    it("old-secret use during grace sets previous_secret_last_used_at; the new secret's does not", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      advance(minute);
      const rotated = await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 3600 });
      const refreshedAt = harness.clock.now().toISOString();

      advance(minute);
      await use(rotated.key, "203.0.113.7");
      await harness.app.flushUsage();
      let shown = await getKey(tokens.member, key.id);
      expect(shown.refreshed_at).toBe(refreshedAt);
      expect(shown.grace_until).toBeDefined();
      expect(shown.usage?.previous_secret_last_used_at).toBeUndefined();

      advance(minute);
      const oldUsedAt = harness.clock.now().toISOString();
      await use(key.key, "198.51.100.23");
      advance(minute);
      await use(rotated.key, "203.0.113.7");
      await harness.app.flushUsage();
      shown = await getKey(tokens.member, key.id);
      expect(shown.usage?.previous_secret_last_used_at).toBe(oldUsedAt);

      // Another refresh asks afresh: the old secret of the first rotation has not been used since.
      advance(minute);
      await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 3600 });
      shown = await getKey(tokens.member, key.id);
      expect(shown.usage?.previous_secret_last_used_at).toBeUndefined();
      expect(shown.refreshed_at).toBe(harness.clock.now().toISOString());
    });
  });

  describe("revoked: when, by whom and why", () => {
    it("a manual revoke names its person and `manual`", async () => {
      const { harness, tokens, userIds } = demo;
      const key = await createUserKey(harness, tokens.member);
      expect((await revokeKey(harness, tokens.admin, key.id)).status).toBe(204);
      const shown = await getKey(tokens.member, key.id);
      expect(shown.status).toBe("revoked");
      expect(shown.revoked_at).toBe(START);
      expect(shown.revoked_by).toEqual({ id: userIds.admin, name: "Ada Admin", email: "admin@example.com" });
      expect(shown.revocation_reason).toBe("manual");
    });

    it("blocking the owner revokes their user keys with `owner_blocked`", async () => {
      const { harness, tokens } = demo;
      const email = `blocked-${randomUUID()}@example.com`;
      const invited = await harness.request("POST", "/v2/users", {
        token: tokens.admin,
        body: { email, name: "Soon Blocked", role: "member", invite_mode: "TEMPORARY_PASSWORD" },
      });
      expect(invited.status, await invited.clone().text()).toBe(201);
      const { id: personId, temporary_password: password } = (await invited.json()) as {
        id: string;
        temporary_password: string;
      };
      const session = await harness.request("POST", "/v2/sessions", { body: { email, password } });
      const { token } = (await session.json()) as { token: string };
      const changed = await harness.request("POST", "/v2/me/password", {
        token,
        body: { current_password: password, new_password: "a-long-new-password-42" },
      });
      expect(changed.status, await changed.clone().text()).toBeLessThan(300);
      const fresh = await harness.request("POST", "/v2/sessions", {
        body: { email, password: "a-long-new-password-42" },
      });
      const key = await createUserKey(harness, ((await fresh.json()) as { token: string }).token);

      const blocked = await harness.request("DELETE", `/v2/users/${encodeURIComponent(personId)}`, {
        token: tokens.admin,
      });
      expect(blocked.status).toBe(204);
      const row = await keyRow(harness, key.id);
      expect(row.status).toBe("revoked");
      expect(row.revocationReason).toBe("owner_blocked");
      expect(row.revokedByUserId).toBe(uuidOf("User", (await meOf(harness, tokens.admin)).user.id));
      const shown = await getKey(tokens.admin, key.id);
      expect(shown.revocation_reason).toBe("owner_blocked");
      expect(shown.revoked_by?.name).toBe("Ada Admin");
      const history = await events(tokens.admin, key.id);
      expect(history.events[0]?.operation_name).toBe("revoke_api_key");
    });

    it("deleting its space with force revokes a service key with `scope_deleted`", async () => {
      const { harness, tokens } = demo;
      const me = await meOf(harness, tokens.admin);
      const orgId = me.organizations[0]?.id;
      const made = await harness.request("POST", "/v2/spaces", {
        token: tokens.admin,
        body: { name: `Doomed ${randomUUID().slice(0, 8)}`, organization_id: orgId },
      });
      expect(made.status, await made.clone().text()).toBe(201);
      const space = (await made.json()) as { id: string };
      const key = await createServiceKey(harness, tokens.admin, space.id);
      const deleted = await harness.request(
        "DELETE",
        `/v2/spaces/${encodeURIComponent(space.id)}?force=true`,
        {
          token: tokens.admin,
        },
      );
      expect(deleted.status, await deleted.clone().text()).toBe(204);
      const row = await keyRow(harness, key.id);
      expect(row.status).toBe("revoked");
      expect(row.revocationReason).toBe("scope_deleted");
      expect(row.revokedByUserId).toBe(uuidOf("User", me.user.id));
    });
  });

  describe("who may see it", () => {
    it("someone who cannot see the key in the list gets 404, like a key that does not exist", async () => {
      const { harness, tokens, spaceIds } = demo;
      const own = await createUserKey(harness, tokens.admin);
      const elsewhere = await createServiceKey(harness, tokens.admin, spaceIds.Experiments);
      const visible = await createServiceKey(harness, tokens.admin, spaceIds.Production);
      // Riley (read-only in Platform's spaces, nothing in Research) sees neither the admin's user key
      // nor a key of Experiments: the same 404 as for a key that does not exist.
      for (const id of [own.id, elsewhere.id, missingKeyId(), "not-an-id"]) {
        await expectProblem(await harness.request("GET", path(id), { token: tokens.readOnly }), 404);
        await expectProblem(
          await harness.request("GET", path(id, "/events"), { token: tokens.readOnly }),
          404,
        );
      }
      // …and sees a Production key, as in the list.
      expect((await getKey(tokens.readOnly, visible.id)).roles).toBeDefined();
      const maxKey = await createUserKey(harness, tokens.member);
      expect((await getKey(tokens.admin, maxKey.id)).id).toBe(maxKey.id);
      await expectProblem(await harness.request("GET", path(maxKey.id), { token: tokens.readOnly }), 404);
      await expectProblem(await harness.request("GET", path(own.id)), 401);
    });
  });

  describe("events", () => {
    it("lists the key's audit rows newest first, with who, paginated like the audit log", async () => {
      const { harness, tokens, userIds } = demo;
      const key = await createKey(harness, tokens.member, { name: `history ${randomUUID()}` });
      advance(minute);
      await refreshed(harness, tokens.member, key.id, { grace_period_seconds: 60 });
      advance(minute);
      expect((await revokeKey(harness, tokens.member, key.id)).status).toBe(204);
      // Another key's rows are not in this key's history.
      await createUserKey(harness, tokens.member);

      const all = await events(tokens.member, key.id);
      expect(all.events.map((e) => e.operation_name)).toEqual([
        "revoke_api_key",
        "refresh_api_key",
        "create_api_key",
      ]);
      expect(all.pagination).toEqual({ has_more: false });
      const [revoked] = all.events;
      expect(revoked?.user_id).toBe(userIds.member);
      expect(revoked?.user).toEqual({ id: userIds.member, name: "Max Member", email: "member@example.com" });
      expect(revoked?.created_at).toBe(new Date(new Date(START).getTime() + 2 * minute).toISOString());
      expect(Object.keys(revoked ?? {}).sort()).toEqual(
        ["created_at", "id", "ip", "operation_name", "operation_type", "user", "user_id", "variables"].sort(),
      );

      const first = await events(tokens.member, key.id, "?limit=2");
      expect(first.events).toHaveLength(2);
      expect(first.pagination.has_more).toBe(true);
      const next = await events(
        tokens.member,
        key.id,
        `?limit=2&cursor=${encodeURIComponent(first.pagination.next_cursor ?? "")}`,
      );
      expect(next.events.map((e) => e.operation_name)).toEqual(["create_api_key"]);
      await expectProblem(
        await harness.request("GET", path(key.id, "/events?cursor=bogus"), { token: tokens.member }),
        400,
      );
    });
  });

  describe("dialects", () => {
    it("Arize's clients get the list item, and the details only with include=details", async () => {
      const { harness, tokens } = demo;
      const key = await createUserKey(harness, tokens.member);
      await use(key.key, "203.0.113.7");
      await harness.app.flushUsage();
      const arize = { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" };
      const plain = await getKey(tokens.member, key.id, arize);
      expect(plain.status).toBe("ACTIVE");
      for (const field of ["usage", "created_by", "revoked_at", "refreshed_at", "grace_until"])
        expect(plain).not.toHaveProperty(field);
      const detailed = await getKey(tokens.member, key.id, arize, "?include=details");
      expect(detailed.created_by?.name).toBe("Max Member");
      expect(detailed.usage?.addresses.map((a) => a.address)).toEqual(["203.0.113.7"]);
      const own = await getKey(tokens.member, key.id);
      expect(own.status).toBe("active");
      expect(own.usage?.addresses).toHaveLength(1);
    });
  });
});
