/**
 * Who may change the directory (directory.md's table, generated from one table below), the last-admin
 * and self rules, private-space visibility, force-delete revocation, audit rows, and bad input — on
 * the demo directory, on PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, organizations, spaces, users } from "../db/schema";
import type { DemoUser } from "../testing/api-harness";
import { testDatabases } from "../testing/test-databases";
import {
  createServiceKey,
  expectProblem,
  meStatus,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";

interface Ids {
  platform: string;
  research: string;
  production: string;
  staging: string;
  experiments: string;
  /** A person with no role anywhere yet (created by the admin, invite mode NONE). */
  pat: string;
}

type Scope = "own" | "other";
interface Case {
  action: string;
  /** own: a scope where the caller holds a role; other: one they cannot see. */
  scope: Scope;
  run: (d: Demo, ids: Ids, token: string) => Promise<Response>;
  /** Expected status per caller. */
  expect: Record<DemoUser, number>;
}

const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
const enc = encodeURIComponent;

/**
 * directory.md, "Who may change the directory": Ada is account admin; Max is a Platform member, admin
 * of Staging, member of Production, read-only in Research; Riley is Platform read-only and cannot see
 * Research at all (404, not 403).
 */
const CASES: Case[] = [
  {
    action: "create a user",
    scope: "own",
    run: (d, _i, token) =>
      d.harness.request("POST", "/v2/users", {
        token,
        body: {
          name: "New Person",
          email: `${randomUUID()}@example.com`,
          role: "member",
          invite_mode: "NONE",
        },
      }),
    expect: { admin: 201, member: 403, readOnly: 403 },
  },
  {
    action: "change an account role",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("PATCH", `/v2/users/${enc(i.pat)}`, { token, body: { role: "member" } }),
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
  {
    action: "reset a password",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("POST", `/v2/users/${enc(i.pat)}/reset-password?mode=temporary_password`, { token }),
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
  {
    action: "create an organization",
    scope: "own",
    run: (d, _i, token) =>
      d.harness.request("POST", "/v2/organizations", { token, body: { name: unique("Org") } }),
    expect: { admin: 201, member: 403, readOnly: 403 },
  },
  {
    action: "rename an organization",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("PATCH", `/v2/organizations/${enc(i.platform)}`, {
        token,
        body: { description: unique("d") },
      }),
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
  {
    action: "rename an organization",
    scope: "other",
    run: (d, i, token) =>
      d.harness.request("PATCH", `/v2/organizations/${enc(i.research)}`, {
        token,
        body: { description: unique("d") },
      }),
    expect: { admin: 200, member: 403, readOnly: 404 },
  },
  {
    action: "create a space",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("POST", "/v2/spaces", {
        token,
        body: { name: unique("Space"), organization_id: i.platform },
      }),
    expect: { admin: 201, member: 403, readOnly: 403 },
  },
  {
    action: "create a space",
    scope: "other",
    run: (d, i, token) =>
      d.harness.request("POST", "/v2/spaces", {
        token,
        body: { name: unique("Space"), organization_id: i.research },
      }),
    expect: { admin: 201, member: 403, readOnly: 404 },
  },
  {
    action: "rename a space",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("PATCH", `/v2/spaces/${enc(i.staging)}`, {
        token,
        body: { description: unique("d") },
      }),
    // Max is admin of Staging but not of Platform: renaming is for organization admins.
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
  {
    action: "add an organization member",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("POST", `/v2/organizations/${enc(i.platform)}/users`, {
        token,
        body: { user_id: i.pat, role: "read-only" },
      }),
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
  {
    action: "add a space member",
    scope: "own",
    run: (d, i, token) =>
      d.harness.request("POST", `/v2/spaces/${enc(i.staging)}/users`, {
        token,
        body: { user_id: i.pat, role: "member" },
      }),
    // A space admin may manage its members.
    expect: { admin: 200, member: 200, readOnly: 403 },
  },
  {
    action: "add a space member",
    scope: "other",
    run: (d, i, token) =>
      d.harness.request("POST", `/v2/spaces/${enc(i.production)}/users`, {
        token,
        body: { user_id: i.pat, role: "read-only" },
      }),
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
  {
    action: "read an organization's members",
    scope: "own",
    run: (d, i, token) => d.harness.request("GET", `/v2/organizations/${enc(i.platform)}/users`, { token }),
    expect: { admin: 200, member: 200, readOnly: 200 },
  },
  {
    action: "read an organization's members",
    scope: "other",
    run: (d, i, token) => d.harness.request("GET", `/v2/organizations/${enc(i.research)}/users`, { token }),
    expect: { admin: 200, member: 200, readOnly: 404 },
  },
  {
    action: "read a space's members",
    scope: "other",
    run: (d, i, token) => d.harness.request("GET", `/v2/spaces/${enc(i.experiments)}/users`, { token }),
    expect: { admin: 200, member: 200, readOnly: 404 },
  },
  {
    action: "read the audit log",
    scope: "own",
    run: (d, _i, token) => d.harness.request("GET", "/v2/audit-logs", { token }),
    expect: { admin: 200, member: 403, readOnly: 403 },
  },
];

const CALLERS: DemoUser[] = ["admin", "member", "readOnly"];

describe.each(testDatabases())("directory rules ($name)", (database) => {
  let d: Demo;
  const ids = {} as Ids;

  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const post = (token: string, path: string, body: unknown) =>
    d.harness.request("POST", path, { token, body });
  const newPerson = async (role = "member") =>
    (
      await json<{ id: string }>(
        await post(d.tokens.admin, "/v2/users", {
          name: "Someone",
          email: `${randomUUID()}@example.com`,
          role,
          invite_mode: "NONE",
        }),
        201,
      )
    ).id;

  beforeAll(async () => {
    d = await setupDemo(database);
    const orgs = await json<{ organizations: { id: string; name: string }[] }>(
      await d.harness.request("GET", "/v2/organizations", { token: d.tokens.admin }),
      200,
    );
    const byName = Object.fromEntries(orgs.organizations.map((o) => [o.name, o.id]));
    ids.platform = byName.Platform ?? "";
    ids.research = byName.Research ?? "";
    ids.production = d.spaceIds.Production;
    ids.staging = d.spaceIds.Staging;
    ids.experiments = d.spaceIds.Experiments;
    ids.pat = await newPerson();
    // Pat must be in Platform before joining its spaces.
    await json(
      await post(d.tokens.admin, `/v2/organizations/${enc(ids.platform)}/users`, {
        user_id: ids.pat,
        role: "read-only",
      }),
      200,
    );
  });
  afterAll(() => d.harness.close());

  for (const c of CASES) {
    for (const caller of CALLERS) {
      it(`[${caller}] ${c.action} (${c.scope} scope) → ${c.expect[caller]}`, async () => {
        const res = await c.run(d, ids, d.tokens[caller]);
        const expected = c.expect[caller];
        if (expected >= 400) await expectProblem(res, expected);
        else expect(res.status, await res.clone().text()).toBe(expected);
      });
    }
  }

  it("the last active human account admin can be neither demoted nor blocked (409); nobody blocks themselves (403); bots never count", async () => {
    const adaId = d.userIds.admin;
    // A service key whose bot is an account admin does not make Ada replaceable.
    await createServiceKey(d.harness, d.tokens.admin, d.spaceIds.Production, { account_role: "admin" });
    await expectProblem(
      await d.harness.request("PATCH", `/v2/users/${enc(adaId)}`, {
        token: d.tokens.admin,
        body: { role: "MEMBER" },
      }),
      409,
    );
    await expectProblem(
      await d.harness.request("DELETE", `/v2/users/${enc(adaId)}`, { token: d.tokens.admin }),
      403,
    );
    // With a second active human admin, the other one may go.
    const second = await newPerson("admin");
    expect(
      (await d.harness.request("DELETE", `/v2/users/${enc(second)}`, { token: d.tokens.admin })).status,
    ).toBe(204);
    await expectProblem(
      await d.harness.request("PATCH", `/v2/users/${enc(adaId)}`, {
        token: d.tokens.admin,
        body: { role: { type: "PREDEFINED", name: "MEMBER" } },
      }),
      409,
    );
    const [row] = await d.harness.handle.db
      .select({ role: users.accountRole })
      .from(users)
      .where(eq(users.email, "admin@example.com"));
    expect(row?.role).toBe("admin");
  });

  it("a private space is 404 to non-members, listed and readable only by its members and the admins above them", async () => {
    const created = await json<{ id: string; is_private: boolean }>(
      await post(d.tokens.admin, "/v2/spaces", {
        name: unique("Vault"),
        organization_id: ids.platform,
        is_private: true,
      }),
      201,
    );
    expect(created.is_private).toBe(true);
    const lobby = await json<{ id: string }>(
      await post(d.tokens.admin, "/v2/spaces", { name: unique("Lobby"), organization_id: ids.platform }),
      201,
    );
    const listed = async (user: DemoUser) =>
      (
        await json<{ spaces: { id: string }[] }>(
          await d.harness.request("GET", `/v2/spaces?org_id=${enc(ids.platform)}&limit=100`, {
            token: d.tokens[user],
          }),
          200,
        )
      ).spaces.map((s) => s.id);
    for (const user of ["member", "readOnly"] as const) {
      await expectProblem(
        await d.harness.request("GET", `/v2/spaces/${enc(created.id)}`, { token: d.tokens[user] }),
        404,
      );
      await expectProblem(
        await d.harness.request("GET", `/v2/spaces/${enc(created.id)}/users`, { token: d.tokens[user] }),
        404,
      );
      expect(await listed(user)).not.toContain(created.id);
      // A public space of their organization they see, without a role in it.
      expect(await listed(user)).toContain(lobby.id);
      expect(
        (await d.harness.request("GET", `/v2/spaces/${enc(lobby.id)}`, { token: d.tokens[user] })).status,
      ).toBe(200);
    }
    expect(await listed("admin")).toContain(created.id);
    // Max may not manage members of a space he cannot see: 404, not 403.
    await expectProblem(
      await post(d.tokens.member, `/v2/spaces/${enc(created.id)}/users`, {
        user_id: ids.pat,
        role: "read-only",
      }),
      404,
    );
    await json(
      await post(d.tokens.admin, `/v2/spaces/${enc(created.id)}/users`, {
        user_id: d.userIds.member,
        role: "member",
      }),
      200,
    );
    expect(await listed("member")).toContain(created.id);
    const members = await json<{ memberships: { user_id: string; role: string; user: { email: string } }[] }>(
      await d.harness.request("GET", `/v2/spaces/${enc(created.id)}/users`, { token: d.tokens.member }),
      200,
    );
    expect(members.memberships).toEqual([
      expect.objectContaining({
        user_id: d.userIds.member,
        role: "member",
        user: expect.objectContaining({ email: "member@example.com" }),
      }),
    ]);
  });

  it("a person joins a space only after its organization (400); removing them from the organization removes them from its spaces", async () => {
    const person = await newPerson();
    const body = { user_id: person, role: "read-only" };
    await expectProblem(await post(d.tokens.admin, `/v2/spaces/${enc(ids.experiments)}/users`, body), 400);
    await json(await post(d.tokens.admin, `/v2/organizations/${enc(ids.research)}/users`, body), 200);
    await json(await post(d.tokens.admin, `/v2/spaces/${enc(ids.experiments)}/users`, body), 200);
    const del = await d.harness.request(
      "DELETE",
      `/v2/organizations/${enc(ids.research)}/users/${enc(person)}`,
      {
        token: d.tokens.admin,
      },
    );
    expect(del.status).toBe(204);
    await expectProblem(
      await d.harness.request("DELETE", `/v2/spaces/${enc(ids.experiments)}/users/${enc(person)}`, {
        token: d.tokens.admin,
      }),
      404,
    );
  });

  it("deleting a space with active service keys is a 409 naming the count; ?force=true revokes them in the same transaction", async () => {
    const space = await json<{ id: string; name: string }>(
      await post(d.tokens.admin, "/v2/spaces", { name: unique("Temp"), organization_id: ids.platform }),
      201,
    );
    const key = await createServiceKey(d.harness, d.tokens.admin, space.id);
    expect(await meStatus(d.harness, key.key)).toBe(200);
    const refused = await expectProblem(
      await d.harness.request("DELETE", `/v2/spaces/${enc(space.id)}`, { token: d.tokens.admin }),
      409,
    );
    expect(refused.detail).toMatch(/1 active service key/);
    expect(await meStatus(d.harness, key.key)).toBe(200);
    const forced = await d.harness.request("DELETE", `/v2/spaces/${enc(space.id)}?force=true`, {
      token: d.tokens.admin,
    });
    expect(forced.status).toBe(204);
    expect(await meStatus(d.harness, key.key)).toBe(401);
    await expectProblem(
      await d.harness.request("GET", `/v2/spaces/${enc(space.id)}`, { token: d.tokens.admin }),
      404,
    );
    const [audit] = await d.harness.handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "delete_space"));
    expect(audit?.details).toMatchObject({ revoked_service_keys: 1, variables: { force: true } });
  });

  it("an organization with service keys in its spaces: 409 with the count, then ?force=true", async () => {
    const org = await json<{ id: string }>(
      await post(d.tokens.admin, "/v2/organizations", { name: unique("Doomed") }),
      201,
    );
    const space = await json<{ id: string }>(
      await post(d.tokens.admin, "/v2/spaces", { name: "Only", organization_id: org.id }),
      201,
    );
    const keys = [
      await createServiceKey(d.harness, d.tokens.admin, space.id),
      await createServiceKey(d.harness, d.tokens.admin, space.id),
    ];
    const refused = await expectProblem(
      await d.harness.request("DELETE", `/v2/organizations/${enc(org.id)}`, { token: d.tokens.admin }),
      409,
    );
    expect(refused.detail).toMatch(/2 active service keys/);
    expect(
      (
        await d.harness.request("DELETE", `/v2/organizations/${enc(org.id)}?force=true`, {
          token: d.tokens.admin,
        })
      ).status,
    ).toBe(204);
    for (const key of keys) expect(await meStatus(d.harness, key.key)).toBe(401);
  });

  it("every change writes one audit row in 1.28's shape, with no secret in it", async () => {
    const res = await post(d.tokens.admin, "/v2/users", {
      name: "Audited",
      email: `${randomUUID()}@example.com`,
      role: "member",
      invite_mode: "TEMPORARY_PASSWORD",
    });
    const created = await json<{ id: string; temporary_password: string }>(res, 201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const logs = await json<{ logs: Record<string, unknown>[] }>(
      await d.harness.request("GET", `/v2/audit-logs?user_id=${enc(d.userIds.admin)}&limit=5`, {
        token: d.tokens.admin,
      }),
      200,
    );
    const entry = logs.logs[0];
    // 1.28's fields, and in Keydesk's own dialect the [ext] names of actor and target (audit-logs.test.ts).
    expect(Object.keys(entry ?? {}).sort()).toEqual(
      [
        "created_at",
        "id",
        "ip",
        "operation_name",
        "operation_type",
        "user_id",
        "variables",
        "actor",
        "actor_credential",
        "target",
      ].sort(),
    );
    expect(entry).toMatchObject({
      operation_type: "MUTATION",
      operation_name: "create_user",
      user_id: d.userIds.admin,
    });
    expect(JSON.parse(String(entry?.variables))).toMatchObject({
      name: "Audited",
      invite_mode: "TEMPORARY_PASSWORD",
    });
    const all = JSON.stringify(await d.harness.handle.db.select().from(auditLog));
    expect(all).not.toContain(created.temporary_password);
  });

  describe("bad input is a 4xx problem, never a 500, and writes nothing", () => {
    const long = "x".repeat(257);
    const cases: [string, string, string, (i: Ids) => unknown, number][] = [
      ["unknown field", "POST", "/v2/organizations", () => ({ name: "Fine", colour: "red" }), 400],
      ["wrong type", "POST", "/v2/organizations", () => ({ name: 42 }), 400],
      ["over-long name", "POST", "/v2/organizations", () => ({ name: long }), 400],
      ["empty name", "POST", "/v2/spaces", (i) => ({ name: "   ", organization_id: i.platform }), 400],
      [
        "bad email",
        "POST",
        "/v2/users",
        () => ({ name: "A", email: "not-an-email", role: "member", invite_mode: "NONE" }),
        400,
      ],
      [
        "unknown role",
        "POST",
        "/v2/users",
        () => ({ name: "A", email: `${randomUUID()}@x.io`, role: "owner", invite_mode: "NONE" }),
        400,
      ],
      [
        "ANNOTATOR",
        "POST",
        "/v2/users",
        () => ({ name: "A", email: `${randomUUID()}@x.io`, role: "ANNOTATOR", invite_mode: "NONE" }),
        422,
      ],
      [
        "CUSTOM role",
        "POST",
        "/v2/spaces/{staging}/users",
        (i) => ({ user_id: i.pat, role: { type: "CUSTOM", id: "Um9sZTox" } }),
        422,
      ],
      [
        "bad invite mode",
        "POST",
        "/v2/users",
        () => ({ name: "A", email: `${randomUUID()}@x.io`, role: "member", invite_mode: "SMOKE" }),
        400,
      ],
      [
        "a user id as organization id",
        "POST",
        "/v2/spaces",
        (i) => ({ name: "X", organization_id: i.pat }),
        404,
      ],
      [
        "a space id as user id",
        "POST",
        "/v2/spaces/{staging}/users",
        (i) => ({ user_id: i.staging, role: "member" }),
        404,
      ],
      ["a space id as organization", "GET", "/v2/organizations/{staging}", () => undefined, 404],
      [
        "a custom role",
        "POST",
        "/v2/roles",
        () => ({ name: "Data Scientist", permissions: ["PROJECT_READ"] }),
        422,
      ],
      ["a role binding", "POST", "/v2/role-bindings", () => ({}), 422],
      ["empty update", "PATCH", "/v2/spaces/{staging}", () => ({}), 400],
    ];
    it.each(cases)("%s → %i", async (_name, method, path, body, status) => {
      const db = d.harness.handle.db;
      const before = [
        (await db.select({ n: count() }).from(organizations))[0]?.n,
        (await db.select({ n: count() }).from(spaces))[0]?.n,
        (await db.select({ n: count() }).from(users))[0]?.n,
        (await db.select({ n: count() }).from(auditLog))[0]?.n,
      ];
      const res = await d.harness.request(method, path.replace("{staging}", enc(ids.staging)), {
        token: d.tokens.admin,
        body: body(ids),
      });
      const problem = await expectProblem(res, status);
      if (status === 422) expect(problem.detail).toMatch(/not supported by this server/);
      const after = [
        (await db.select({ n: count() }).from(organizations))[0]?.n,
        (await db.select({ n: count() }).from(spaces))[0]?.n,
        (await db.select({ n: count() }).from(users))[0]?.n,
        (await db.select({ n: count() }).from(auditLog))[0]?.n,
      ];
      expect(after).toEqual(before);
    });

    it("duplicate names: an organization in the account, a space within its organization → 409; the same space name elsewhere is fine", async () => {
      const name = unique("Twin");
      await json(await post(d.tokens.admin, "/v2/organizations", { name }), 201);
      await expectProblem(await post(d.tokens.admin, "/v2/organizations", { name }), 409);
      await json(await post(d.tokens.admin, "/v2/spaces", { name, organization_id: ids.platform }), 201);
      await expectProblem(
        await post(d.tokens.admin, "/v2/spaces", { name, organization_id: ids.platform }),
        409,
      );
      await json(await post(d.tokens.admin, "/v2/spaces", { name, organization_id: ids.research }), 201);
      const renamed = await d.harness.request("PATCH", `/v2/spaces/${enc(ids.production)}`, {
        token: d.tokens.admin,
        body: { name: "Staging" },
      });
      await expectProblem(renamed, 409);
    });
  });
});
