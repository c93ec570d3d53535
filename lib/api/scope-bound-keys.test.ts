/**
 * Issue 16, items 1 and 2: a generation-D service key bound to several organizations and spaces.
 * Deleting a scope counts and revokes the keys bound to it through their bot's memberships (not only
 * by the key's first space), and a refresh re-checks every role the secret carries — the account,
 * each organization (with or without a space left in it) and each space — against the refresher's.
 * On the demo directory, through the API, on PGlite and PostgreSQL.
 */
import { and, desc, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKeys, auditLog, spaces, users } from "../db/schema";
import { listenForKeyChanges, VerificationCache } from "../keys/verification-cache";
import { digestKey, KEY_SEARCH_PATTERN } from "../keys/secrets";
import { testDatabases } from "../testing/test-databases";
import {
  expectProblem,
  keyRow,
  listKeys,
  meOf,
  meStatus,
  refreshKey,
  secretRows,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import { createApi } from "./app";

/** What @arizeai/ax-client 1.28 sends: a generation-D client (lib/api/dialect.ts). */
const GENERATION_D = { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.28.0" };
const role = (name: "ADMIN" | "MEMBER" | "READ_ONLY") => ({ type: "PREDEFINED", name });
const enc = encodeURIComponent;

describe.each(testDatabases())("service keys bound through their bot's memberships ($name)", (database) => {
  let demo: Demo;
  let platform: string;
  let research: string;
  let maxId: string;

  beforeAll(async () => {
    demo = await setupDemo(database);
    const orgs = (await meOf(demo.harness, demo.tokens.admin)).organizations;
    const idOf = (name: string) => {
      const org = orgs.find((o) => o.name === name);
      if (!org) throw new Error(`demo organization ${name} is missing`);
      return org.id;
    };
    platform = idOf("Platform");
    research = idOf("Research");
    maxId = demo.userIds.member;
  });
  afterAll(() => demo.harness.close());

  const request = (...args: Parameters<Demo["harness"]["request"]>) => demo.harness.request(...args);

  /** Ada makes a space of Research, as the report did ("Lab"; the demo has none by that name). */
  async function newSpace(organizationId: string, name: string): Promise<string> {
    const res = await request("POST", "/v2/spaces", {
      token: demo.tokens.admin,
      body: { name: `${name} ${Math.random().toString(36).slice(2, 8)}`, organization_id: organizationId },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  /**
   * The report's key: Ada, through a generation-D client, binds one bot to Platform (space Staging)
   * and to Research as ADMIN (space `lab`). Its first space, and so its `space_id`, is Staging.
   */
  async function spanningKey(lab: string, researchRole: "ADMIN" | "READ_ONLY" = "ADMIN") {
    const res = await request("POST", "/v2/api-keys", {
      token: demo.tokens.admin,
      headers: GENERATION_D,
      body: {
        name: "spanning bot",
        key_type: "SERVICE",
        organizations: [
          { org_id: platform, spaces: [{ space_id: demo.spaceIds.Staging }] },
          { org_id: research, role: role(researchRole), spaces: [{ space_id: lab }] },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string; key: string };
  }

  async function lastAudit(action: string) {
    const [row] = await demo.harness.handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, action))
      .orderBy(desc(auditLog.id))
      .limit(1);
    return row;
  }

  describe("item 2: deleting a scope counts and revokes the keys bound to it by membership", () => {
    it("the reported chain: deleting Lab is a 409 naming the key; force revokes it, and Max's refresh gets no secret", async () => {
      const lab = await newSpace(research, "Lab");
      const key = await spanningKey(lab);
      // The Delete alert of the dashboard lists the key under Lab (GET /v2/api-keys?space_id=Lab)...
      const listed = await listKeys(demo.harness, demo.tokens.admin, `space_id=${enc(lab)}&status=active`);
      expect(listed.api_keys.map((k) => k.id)).toContain(key.id);
      // ...and the API agrees: Lab holds it.
      const refused = await expectProblem(
        await request("DELETE", `/v2/spaces/${enc(lab)}`, { token: demo.tokens.admin }),
        409,
        "conflict",
      );
      expect(refused.detail).toMatch(/holds 1 active service key;/);
      expect(await meStatus(demo.harness, key.key)).toBe(200);

      const forced = await request("DELETE", `/v2/spaces/${enc(lab)}?force=true`, {
        token: demo.tokens.admin,
      });
      expect(forced.status).toBe(204);
      expect((await lastAudit("delete_space"))?.details).toMatchObject({ revoked_service_keys: 1 });
      expect((await keyRow(demo.harness, key.id)).status).toBe("revoked");
      expect(await meStatus(demo.harness, key.key)).toBe(401);
      // Max's refresh hands him nothing: the key's Research admin is above his role (item 1), and
      // the key is revoked anyway.
      const refresh = await refreshKey(demo.harness, demo.tokens.member, key.id);
      const text = await refresh.clone().text();
      await expectProblem(refresh, 403);
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
    });

    it("an organization counts a key bound to one of its spaces whose first space is elsewhere, and force revokes it", async () => {
      const lab = await newSpace(research, "Lab");
      const key = await spanningKey(lab, "READ_ONLY");
      const org = await request("POST", "/v2/organizations", {
        token: demo.tokens.admin,
        body: { name: `Doomed ${Math.random().toString(36).slice(2, 8)}` },
      });
      const doomed = ((await org.json()) as { id: string }).id;
      const elsewhere = await newSpace(doomed, "Elsewhere");
      // A second key, bound to Staging first and to the doomed organization's space second.
      const second = await request("POST", "/v2/api-keys", {
        token: demo.tokens.admin,
        headers: GENERATION_D,
        body: {
          name: "second spanning bot",
          key_type: "SERVICE",
          organizations: [
            { org_id: platform, spaces: [{ space_id: demo.spaceIds.Staging }] },
            { org_id: doomed, spaces: [{ space_id: elsewhere }] },
          ],
        },
      });
      expect(second.status).toBe(201);
      const bound = (await second.json()) as { id: string; key: string };

      const refused = await expectProblem(
        await request("DELETE", `/v2/organizations/${enc(doomed)}`, { token: demo.tokens.admin }),
        409,
      );
      expect(refused.detail).toMatch(/holds 1 active service key;/);
      const forced = await request("DELETE", `/v2/organizations/${enc(doomed)}?force=true`, {
        token: demo.tokens.admin,
      });
      expect(forced.status).toBe(204);
      expect((await lastAudit("delete_organization"))?.details).toMatchObject({ revoked_service_keys: 1 });
      expect(await meStatus(demo.harness, bound.key)).toBe(401);
      // The key not bound to it lives on.
      expect(await meStatus(demo.harness, key.key)).toBe(200);
    });

    it("an organization counts a key whose bot holds a role in it with no space left there", async () => {
      const org = await request("POST", "/v2/organizations", {
        token: demo.tokens.admin,
        body: { name: `Annex ${Math.random().toString(36).slice(2, 8)}` },
      });
      const annex = ((await org.json()) as { id: string }).id;
      const lab = await newSpace(annex, "Lab");
      const res = await request("POST", "/v2/api-keys", {
        token: demo.tokens.admin,
        headers: GENERATION_D,
        body: {
          name: "annex bot",
          key_type: "SERVICE",
          organizations: [
            { org_id: platform, spaces: [{ space_id: demo.spaceIds.Staging }] },
            { org_id: annex, role: role("MEMBER"), spaces: [{ space_id: lab }] },
          ],
        },
      });
      expect(res.status).toBe(201);
      const key = (await res.json()) as { id: string; key: string };
      // The state an earlier server left behind when Lab was deleted without revoking the key
      // (item 2): the bot keeps its role in the organization, with no space of it left.
      await demo.harness.handle.db.delete(spaces).where(eq(spaces.id, uuidOf("Space", lab)));
      const refused = await expectProblem(
        await request("DELETE", `/v2/organizations/${enc(annex)}`, { token: demo.tokens.admin }),
        409,
      );
      expect(refused.detail).toMatch(/holds 1 active service key;/);
      expect(await meStatus(demo.harness, key.key)).toBe(200);
      const forced = await request("DELETE", `/v2/organizations/${enc(annex)}?force=true`, {
        token: demo.tokens.admin,
      });
      expect(forced.status).toBe(204);
      expect(await meStatus(demo.harness, key.key)).toBe(401);
    });

    it("the key cache is told at once: a cached key of a force-deleted space stops verifying on the next request", async () => {
      const { handle, clock } = demo.harness;
      const cache = new VerificationCache({ clock });
      const listener = await listenForKeyChanges(handle, cache, { log: () => undefined });
      const told: string[] = [];
      const app = createApi({
        db: handle.db,
        clock,
        verificationCache: cache,
        events: { keysChanged: (ids) => told.push(...ids) },
      });
      try {
        const lab = await newSpace(research, "Lab");
        const key = await spanningKey(lab, "READ_ONLY");
        const me = () => app.request("/v2/me", { headers: { authorization: `Bearer ${key.key}` } });
        // Until it is cached (a late notification of an earlier change may refuse one store).
        await vi.waitFor(async () => {
          expect((await me()).status).toBe(200);
          expect(cache.get(digestKey(key.key))).toBeDefined();
        });
        const forced = await app.request(`/v2/spaces/${enc(lab)}?force=true`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${demo.tokens.admin}` },
        });
        expect(forced.status).toBe(204);
        expect(told).toContain(uuidOf("ApiKey", key.id));
        expect((await me()).status).toBe(401);
      } finally {
        await listener.close();
      }
    });
  });

  it.runIf(database.name === "postgres").each(["space", "organization"] as const)(
    "item 2 under concurrency: a key created in a space while its %s is being deleted is not found (404, not 500), and nothing is left of it",
    async (deleting) => {
      let organization = platform;
      if (deleting === "organization") {
        const org = await request("POST", "/v2/organizations", {
          token: demo.tokens.admin,
          body: { name: `Doomed org ${Math.random().toString(36).slice(2, 8)}` },
        });
        organization = ((await org.json()) as { id: string }).id;
        const joined = await request("POST", `/v2/organizations/${enc(organization)}/users`, {
          token: demo.tokens.admin,
          body: { user_id: maxId, role: "member" },
        });
        expect(joined.status).toBe(200);
      }
      const doomed = await newSpace(organization, "Doomed");
      const added = await request("POST", `/v2/spaces/${enc(doomed)}/users`, {
        token: demo.tokens.admin,
        body: { user_id: maxId, role: "admin" },
      });
      expect(added.status).toBe(200);
      const existing = await request("POST", "/v2/api-keys", {
        token: demo.tokens.admin,
        body: { name: "already there", key_type: "service", space_id: doomed },
      });
      const existingId = ((await existing.json()) as { id: string }).id;
      // Another connection holds the existing key's row: the forced delete waits on it while it
      // holds the space, and Max's create arrives in the middle.
      const other = new pg.Client({ connectionString: demo.harness.handle.url });
      await other.connect();
      const lockWaiters = async () => {
        const { rows } = await other.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        return Number(rows[0]?.n ?? 0);
      };
      const name = `created while deleted ${Math.random().toString(36).slice(2, 8)}`;
      try {
        await other.query("begin");
        await other.query("select id from api_keys where id = $1 for update", [uuidOf("ApiKey", existingId)]);
        const path =
          deleting === "space" ? `/v2/spaces/${enc(doomed)}` : `/v2/organizations/${enc(organization)}`;
        const deleted = request("DELETE", `${path}?force=true`, { token: demo.tokens.admin });
        await vi.waitFor(async () => expect(await lockWaiters()).toBe(1), { timeout: 10_000 });
        const created = request("POST", "/v2/api-keys", {
          token: demo.tokens.member,
          body: { name, key_type: "service", space_id: doomed },
        });
        await vi.waitFor(async () => expect(await lockWaiters()).toBe(2), { timeout: 10_000 });
        await other.query("rollback");
        expect((await deleted).status).toBe(204);
        await expectProblem(await created, 404, "not_found");
        const left = await demo.harness.handle.db.select().from(apiKeys).where(eq(apiKeys.name, name));
        expect(left).toEqual([]);
        const bots = await demo.harness.handle.db.select().from(users).where(eq(users.name, name));
        expect(bots).toEqual([]);
      } finally {
        await other.end().catch(() => undefined);
      }
    },
  );

  describe("item 1: a refresh re-checks every role the secret carries", () => {
    /**
     * The bot of the report after Lab's deletion on the server as it was (item 2 let the key live):
     * Platform read-only with Staging member, Research ADMIN with no space of Research left.
     */
    async function survivingKey(researchRole: "ADMIN" | "READ_ONLY" = "ADMIN") {
      const lab = await newSpace(research, "Lab");
      const key = await spanningKey(lab, researchRole);
      await demo.harness.handle.db.delete(spaces).where(eq(spaces.id, uuidOf("Space", lab)));
      const bot = await meOf(demo.harness, key.key);
      // Research admin reaches every space of Research through the organization; the bot holds no
      // space membership there any more.
      expect(bot.organizations.map((o) => [o.name, o.role])).toEqual([
        ["Platform", "read-only"],
        ["Research", researchRole === "ADMIN" ? "admin" : "read-only"],
      ]);
      return key;
    }

    it("refuses Max (Research read-only, Staging admin) a key holding Research admin: 403, no new secret, no way into Research", async () => {
      const key = await survivingKey();
      const before = await secretRows(demo.harness, key.id);
      const res = await refreshKey(demo.harness, demo.tokens.member, key.id, { grace_period_seconds: 60 });
      const text = await res.clone().text();
      const problem = await expectProblem(res, 403, "forbidden");
      expect(problem.detail).toMatch(
        /org_role "admin" is above your own role in organization Research \("read-only"\)/,
      );
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
      expect(await secretRows(demo.harness, key.id)).toEqual(before);
      expect(await meStatus(demo.harness, key.key)).toBe(200);
      // Max is still read-only in Research.
      const max = await meOf(demo.harness, demo.tokens.member);
      expect(max.organizations.find((o) => o.id === research)?.role).toBe("read-only");
    });

    it("refuses the same through a generation-D client (403, not 200) and through the dashboard's dialect alike", async () => {
      const key = await survivingKey();
      const res = await request("POST", `/v2/api-keys/${enc(key.id)}/refresh`, {
        token: demo.tokens.member,
        headers: GENERATION_D,
        body: {},
      });
      await expectProblem(res, 403);
    });

    it("refuses a refresher who cannot reach an organization the bot holds a role in, even read-only", async () => {
      const key = await survivingKey("READ_ONLY");
      // Max, within his caps everywhere (Research read-only), may refresh it...
      const ok = await refreshKey(demo.harness, demo.tokens.member, key.id);
      expect(ok.status, await ok.clone().text()).toBe(200);
      const fresh = (await ok.json()) as { key: string };
      // ...until he leaves Research: a role in a scope he cannot reach is above his cap.
      const removed = await request("DELETE", `/v2/organizations/${enc(research)}/users/${enc(maxId)}`, {
        token: demo.tokens.admin,
      });
      expect(removed.status).toBe(204);
      const res = await refreshKey(demo.harness, demo.tokens.member, key.id);
      const problem = await expectProblem(res, 403, "forbidden");
      expect(problem.detail).toMatch(/organization you cannot access/);
      expect(await meStatus(demo.harness, fresh.key)).toBe(200);
      // Put Max back where the demo has him, for the other tests.
      for (const [path, body] of [
        [`/v2/organizations/${enc(research)}/users`, { user_id: maxId, role: "read-only" }],
        [`/v2/spaces/${enc(demo.spaceIds.Experiments)}/users`, { user_id: maxId, role: "read-only" }],
      ] as const) {
        const back = await request("POST", path, { token: demo.tokens.admin, body });
        expect(back.status, await back.clone().text()).toBe(200);
      }
    });

    it("lets Ada (account admin) refresh the key, and its bot keeps exactly its roles", async () => {
      const key = await survivingKey();
      const res = await refreshKey(demo.harness, demo.tokens.admin, key.id);
      expect(res.status).toBe(200);
      const fresh = (await res.json()) as { key: string };
      const bot = await meOf(demo.harness, fresh.key);
      expect(bot.organizations.find((o) => o.id === research)?.role).toBe("admin");
      const audit = await demo.harness.handle.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "api_key.refresh"), eq(auditLog.targetId, uuidOf("ApiKey", key.id))));
      expect(audit).toHaveLength(1);
    });
  });
});
