/**
 * Issue 16, suspicion 14a: permission decisions use roles read when the request authenticated. A
 * caller demoted after that — by a concurrent request that commits before this one writes — must not
 * get a key (or a refreshed secret) above the role they hold when the write commits. On PGlite and
 * PostgreSQL through a hook that holds the write's transaction at its start; on PostgreSQL also with
 * the demotion overlapping the write's transaction, held up by a lock in another connection.
 */
import { and, desc, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKeys, auditLog, users } from "../db/schema";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { KEY_SEARCH_PATTERN } from "../keys/secrets";
import { testDatabases } from "../testing/test-databases";
import { transactionGate, type TransactionGate } from "../testing/transaction-gate";
import {
  createServiceKey,
  expectProblem,
  meOf,
  secretRows,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import { createApi } from "./app";

const enc = encodeURIComponent;

describe.each(testDatabases())("a caller demoted while their request is in flight ($name)", (database) => {
  let demo: Demo;
  let gate: TransactionGate;
  let gated: ReturnType<typeof createApi>;
  let platform: string;

  beforeAll(async () => {
    demo = await setupDemo(database);
    gate = transactionGate(demo.harness.handle.db);
    gated = createApi({
      db: gate.db,
      clock: demo.harness.clock,
      config: { failedAuthPerMinute: 0, keys: { changesPerCaller: { limit: 100_000, windowMs: 60_000 } } },
    });
    const org = (await meOf(demo.harness, demo.tokens.admin)).organizations.find(
      (o) => o.name === "Platform",
    );
    if (!org) throw new Error("demo organization Platform is missing");
    platform = org.id;
  });
  afterAll(() => demo.harness.close());

  /** Ada sets Max's role in Platform or Staging (the demotion, and putting the demo back). */
  async function setMaxRole(scope: "Platform" | "Staging", role: string): Promise<void> {
    const path =
      scope === "Platform"
        ? `/v2/organizations/${enc(platform)}/users`
        : `/v2/spaces/${enc(demo.spaceIds.Staging)}/users`;
    const res = await demo.harness.request("POST", path, {
      token: demo.tokens.admin,
      body: { user_id: demo.userIds.member, role },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }

  const viaGate = (path: string, token: string, body?: unknown) =>
    Promise.resolve(
      gated.request(path, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

  it("create: Max, demoted in Platform (member → read-only) after authenticating, gets no key with org_role member", async () => {
    const name = `demoted create ${Math.random().toString(36).slice(2, 8)}`;
    const hold = gate.holdNext();
    const created = viaGate("/v2/api-keys", demo.tokens.member, {
      name,
      key_type: "service",
      space_id: demo.spaceIds.Staging,
      roles: { space_role: "admin", org_role: "member", account_role: "member" },
    });
    // Max's request has authenticated (as a Platform member) and passed its checks; it is about to write.
    await hold.reached;
    await setMaxRole("Platform", "read-only");
    hold.release();
    const res = await created;
    const text = await res.clone().text();
    try {
      const problem = await expectProblem(res, 400, "role_above_cap");
      expect(problem.detail).toMatch(
        /org_role "member" is above your own role in organization Platform \("read-only"\)/,
      );
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
      // Nothing was written: no key, no bot.
      const keys = await demo.harness.handle.db.select().from(apiKeys).where(eq(apiKeys.name, name));
      expect(keys).toEqual([]);
      const bots = await demo.harness.handle.db.select().from(users).where(eq(users.name, name));
      expect(bots).toEqual([]);
    } finally {
      await setMaxRole("Platform", "member");
    }
  });

  it("refresh: Max, demoted in Staging (admin → member) after authenticating, gets no new secret of an admin key", async () => {
    const adaKey = await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Staging, {
      space_role: "admin",
    });
    const before = await secretRows(demo.harness, adaKey.id);
    const hold = gate.holdNext();
    const refreshed = viaGate(`/v2/api-keys/${enc(adaKey.id)}/refresh`, demo.tokens.member, {});
    await hold.reached;
    await setMaxRole("Staging", "member");
    hold.release();
    const res = await refreshed;
    const text = await res.clone().text();
    try {
      await expectProblem(res, 403, "forbidden");
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
      expect(await secretRows(demo.harness, adaKey.id)).toEqual(before);
    } finally {
      await setMaxRole("Staging", "admin");
    }
  });

  it("the same class in the directory: Max, demoted in Staging (admin → member) after authenticating, makes nobody a Staging admin", async () => {
    const riley = demo.userIds.readOnly;
    const hold = gate.holdNext();
    const granted = viaGate(`/v2/spaces/${enc(demo.spaceIds.Staging)}/users`, demo.tokens.member, {
      user_id: riley,
      role: "admin",
    });
    await hold.reached;
    await setMaxRole("Staging", "member");
    hold.release();
    const res = await granted;
    try {
      await expectProblem(res, 403, "forbidden");
      const rileyNow = await meOf(demo.harness, demo.tokens.readOnly);
      const staging = rileyNow.organizations.flatMap((o) => o.spaces).find((sp) => sp.name === "Staging");
      expect(staging?.role).toBe("read-only");
    } finally {
      await setMaxRole("Staging", "admin");
      const back = await demo.harness.request("POST", `/v2/spaces/${enc(demo.spaceIds.Staging)}/users`, {
        token: demo.tokens.admin,
        body: { user_id: riley, role: "read-only" },
      });
      expect(back.status).toBe(200);
    }
  });

  it.runIf(database.name === "postgres")(
    "create: a demotion overlapping the write's transaction commits after it, never before (the roles checked are the roles held at commit)",
    async () => {
      const name = `overlapped create ${Math.random().toString(36).slice(2, 8)}`;
      // Another connection holds Staging's row: the create's transaction will wait on it when it
      // binds its bot to Staging, in the middle of its writes.
      const other = new pg.Client({ connectionString: demo.harness.handle.url });
      await other.connect();
      // Read inside `other`'s open transaction, so the statistics snapshot (pg_stat_activity's) is
      // cleared first: otherwise every read in the transaction sees the first read's snapshot.
      const lockWaiters = async () => {
        await other.query("select pg_stat_clear_snapshot()");
        const { rows } = await other.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        return Number(rows[0]?.n ?? 0);
      };
      try {
        await other.query("begin");
        await other.query("select id from spaces where id = $1 for update", [
          uuidOf("Space", demo.spaceIds.Staging),
        ]);
        const created = demo.harness.request("POST", "/v2/api-keys", {
          token: demo.tokens.member,
          body: {
            name,
            key_type: "service",
            space_id: demo.spaceIds.Staging,
            roles: { space_role: "admin", org_role: "member", account_role: "member" },
          },
        });
        await vi.waitFor(async () => expect(await lockWaiters()).toBe(1), { timeout: 10_000 });
        let demotionSettled = false;
        const demotion = setMaxRole("Platform", "read-only").finally(() => (demotionSettled = true));
        // Either the demotion commits while the create waits, or it waits for the create.
        await vi.waitFor(
          async () => {
            if (!demotionSettled) expect(await lockWaiters()).toBe(2);
          },
          { timeout: 10_000 },
        );
        await other.query("rollback");
        const res = await created;
        await demotion;
        expect(res.status, await res.clone().text()).toBe(201);
        const key = (await res.json()) as { id: string };
        const [createAudit] = await demo.harness.handle.db
          .select({ id: auditLog.id })
          .from(auditLog)
          .where(and(eq(auditLog.action, "api_key.create"), eq(auditLog.targetId, uuidOf("ApiKey", key.id))));
        const [demotionAudit] = await demo.harness.handle.db
          .select({ id: auditLog.id })
          .from(auditLog)
          .where(eq(auditLog.action, "add_organization_user"))
          .orderBy(desc(auditLog.id))
          .limit(1);
        // The key (org_role member) committed while Max was still a Platform member; the demotion after.
        expect(createAudit?.id).toBeLessThan(demotionAudit?.id ?? 0);
      } finally {
        await other.end().catch(() => undefined);
        await setMaxRole("Platform", "member");
      }
    },
  );

  /** A new account admin, Eve, signed in with a password of her own. */
  async function newAccountAdmin(): Promise<{ id: string; token: string }> {
    const email = `eve-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const invited = await demo.harness.request("POST", "/v2/users", {
      token: demo.tokens.admin,
      body: { name: "Eve", email, role: "admin", invite_mode: "TEMPORARY_PASSWORD" },
    });
    expect(invited.status).toBe(201);
    const eve = (await invited.json()) as { id: string; temporary_password: string };
    const first = await demo.harness.request("POST", "/v2/sessions", {
      body: { email, password: eve.temporary_password },
    });
    const password = "eve's own password 1";
    const changed = await demo.harness.request("POST", "/v2/me/password", {
      token: ((await first.json()) as { token: string }).token,
      body: { current_password: eve.temporary_password, new_password: password },
    });
    expect(changed.status).toBe(204);
    const signedIn = await demo.harness.request("POST", "/v2/sessions", { body: { email, password } });
    return { id: eve.id, token: ((await signedIn.json()) as { token: string }).token };
  }

  /**
   * A request of a new account admin, Eve, held at the start of its write while Ada demotes her to
   * member (committed), then let go: its answer.
   */
  async function asDemotedAccountAdmin(method: string, path: string): Promise<Response> {
    const { id: eveId, token: eveToken } = await newAccountAdmin();
    const hold = gate.holdNext();
    const answer = Promise.resolve(
      gated.request(path, { method, headers: { authorization: `Bearer ${eveToken}` } }),
    );
    await hold.reached;
    const demoted = await demo.harness.request("PATCH", `/v2/users/${enc(eveId)}`, {
      token: demo.tokens.admin,
      body: { role: "member" },
    });
    expect(demoted.status).toBe(200);
    hold.release();
    return answer;
  }

  it("the same class for blocking: Eve, demoted from account admin after authenticating, blocks nobody", async () => {
    const block = await asDemotedAccountAdmin("DELETE", `/v2/users/${enc(demo.userIds.readOnly)}`);
    await expectProblem(block, 403, "forbidden");
    // Riley still signs in.
    const riley = await demo.harness.request("POST", "/v2/sessions", {
      body: { email: DEMO_USERS.readOnly.email, password: DEMO_PASSWORD },
    });
    expect(riley.status).toBe(201);
  });

  // Last: before the fix this reset Ada's password, ending her sessions.
  it("the same class for account admins: Eve, demoted from account admin after authenticating, gets no temporary password of Ada's", async () => {
    const res = await asDemotedAccountAdmin(
      "POST",
      `/v2/users/${enc(demo.userIds.admin)}/reset-password?mode=temporary_password`,
    );
    const text = await res.clone().text();
    await expectProblem(res, 403, "forbidden");
    expect(text).not.toContain("temporary_password");
    // Ada's password is untouched.
    const ada = await demo.harness.request("POST", "/v2/sessions", {
      body: { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD },
    });
    expect(ada.status).toBe(201);
  });
});
