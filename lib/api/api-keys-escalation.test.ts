import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, apiKeySecrets, users } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import { KEY_SEARCH_PATTERN } from "../keys/secrets";
import {
  createServiceKey,
  createUserKey,
  expectProblem,
  listKeys,
  meOf,
  meStatus,
  refreshKey,
  secretRows,
  setupDemo,
  type Demo,
  type SpaceName,
} from "../testing/api-keys-test-kit";
import type { DemoUser } from "../testing/api-harness";

interface ClampCase {
  who: DemoUser;
  space: SpaceName;
  roles: Record<string, string>;
  /** Words the 400's detail must hold: the scope, the role asked for and the cap. */
  detail: RegExp[];
}

/** Raw requests a crafted client could send, each asking for more than the caller holds at one scope. */
const CLAMPS: ClampCase[] = [
  {
    who: "member",
    space: "Production",
    roles: { space_role: "admin" },
    detail: [/space_role/, /"admin"/, /Production/, /\("member"\)/],
  },
  {
    who: "member",
    space: "Staging",
    roles: { space_role: "admin", org_role: "admin" },
    detail: [/org_role/, /"admin"/, /Platform/, /\("member"\)/],
  },
  {
    who: "member",
    space: "Staging",
    roles: { account_role: "admin" },
    detail: [/account_role/, /"admin"/, /account/, /\("member"\)/],
  },
  {
    who: "member",
    space: "Production",
    roles: { org_role: "admin" },
    detail: [/org_role/, /"admin"/, /Platform/, /\("member"\)/],
  },
  {
    who: "member",
    space: "Production",
    roles: { account_role: "admin" },
    detail: [/account_role/, /"admin"/, /account/, /\("member"\)/],
  },
];

describe.each(testDatabases())("privilege escalation ($name)", (database) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await setupDemo(database);
  });
  afterAll(() => demo.harness.close());

  async function counts() {
    const db = demo.harness.handle.db;
    const [keys] = await db.select({ n: count() }).from(apiKeys);
    const [secrets] = await db.select({ n: count() }).from(apiKeySecrets);
    const [people] = await db.select({ n: count() }).from(users);
    return { keys: keys?.n, secrets: secrets?.n, users: people?.n };
  }

  const create = (token: string, body: unknown) =>
    demo.harness.request("POST", "/v2/api-keys", { token, body });

  describe("create: roles above the caller's cap", () => {
    it.each(CLAMPS)(
      "$who in $space asking $roles → 400 naming the scope, the role and the cap",
      async ({ who, space, roles, detail }) => {
        const before = await counts();
        const res = await create(demo.tokens[who], {
          name: "escalation",
          key_type: "service",
          space_id: demo.spaceIds[space],
          roles,
        });
        const problem = await expectProblem(res, 400, "role_above_cap");
        for (const words of detail) expect(problem.detail).toMatch(words);
        expect(JSON.stringify(problem)).not.toMatch(KEY_SEARCH_PATTERN);
        // Nothing was made: no key, no secret, no bot user.
        expect(await counts()).toEqual(before);
      },
    );

    it("names every role above the cap as a field, each with the reason the dashboard shows", async () => {
      const res = await create(demo.tokens.member, {
        name: "escalation",
        key_type: "service",
        space_id: demo.spaceIds.Production,
        roles: { space_role: "admin", org_role: "admin", account_role: "admin" },
      });
      const problem = await expectProblem(res, 400, "role_above_cap");
      expect(problem.detail).toMatch(
        /^space_role "admin" is above your own role in space Production \("member"\)/,
      );
      expect(problem.errors).toEqual([
        { field: "roles.space_role", message: "Limited to your role in Production: Member" },
        { field: "roles.org_role", message: "Limited to your role in Platform: Member" },
        { field: "roles.account_role", message: "Limited to your account role: Member" },
      ]);
    });

    it("lets Max create exactly up to his caps in Staging (admin / member / member), and the bot holds just those", async () => {
      const created = await createServiceKey(demo.harness, demo.tokens.member, demo.spaceIds.Staging, {
        space_role: "admin",
        org_role: "member",
        account_role: "member",
      });
      const me = await meOf(demo.harness, created.key);
      expect(me.account_role).toBe("member");
      expect(me.organizations).toEqual([
        expect.objectContaining({
          name: "Platform",
          role: "member",
          spaces: [expect.objectContaining({ name: "Staging", role: "admin" })],
        }),
      ]);
    });

    it("lets Ada (account admin) grant admin at every scope", async () => {
      const created = await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Experiments, {
        space_role: "admin",
        org_role: "admin",
        account_role: "admin",
      });
      expect((await meOf(demo.harness, created.key)).account_role).toBe("admin");
    });

    it.each(["Production", "Staging"] as const)(
      "refuses Riley any service key in %s (403, read-only), whatever roles she asks",
      async (space) => {
        for (const roles of [
          {},
          { space_role: "read-only", org_role: "read-only" },
          { space_role: "admin" },
        ]) {
          const before = await counts();
          const res = await create(demo.tokens.readOnly, {
            name: "riley's bot",
            key_type: "service",
            space_id: demo.spaceIds[space],
            roles,
          });
          const problem = await expectProblem(res, 403);
          expect(problem.detail).toBe("Read-only members can't create service keys.");
          expect(problem.code).toBe("forbidden");
          expect(await counts()).toEqual(before);
        }
      },
    );

    it("refuses Max a service key in Experiments, where he is read-only (403), and Riley one where she has no access (404)", async () => {
      await expectProblem(
        await create(demo.tokens.member, {
          name: "x",
          key_type: "service",
          space_id: demo.spaceIds.Experiments,
        }),
        403,
      );
      await expectProblem(
        await create(demo.tokens.readOnly, {
          name: "x",
          key_type: "service",
          space_id: demo.spaceIds.Experiments,
        }),
        404,
      );
    });
  });

  describe("a service key's bot acting through its own key", () => {
    let bot: string;
    beforeAll(async () => {
      // Defaults: member of Staging, read-only in Platform, account member.
      bot = (await createServiceKey(demo.harness, demo.tokens.member, demo.spaceIds.Staging)).key;
    });

    it.each([
      [{ space_role: "admin" }, /space_role "admin".*Staging.*\("member"\)/],
      [{ org_role: "member" }, /org_role "member".*Platform.*\("read-only"\)/],
      [{ account_role: "admin" }, /account_role "admin".*account.*\("member"\)/],
    ])("cannot create a service key above the bot's own roles: %o", async (roles, detail) => {
      const before = await counts();
      const res = await create(bot, {
        name: "bot's bot",
        key_type: "service",
        space_id: demo.spaceIds.Staging,
        roles,
      });
      expect((await expectProblem(res, 400)).detail).toMatch(detail);
      expect(await counts()).toEqual(before);
    });

    it("can create one within its roles, but none in a space it cannot reach, and no user key", async () => {
      const ok = await create(bot, {
        name: "bot's helper",
        key_type: "service",
        space_id: demo.spaceIds.Staging,
        roles: { space_role: "member", org_role: "read-only" },
      });
      expect(ok.status).toBe(201);
      await expectProblem(
        await create(bot, { name: "x", key_type: "service", space_id: demo.spaceIds.Production }),
        404,
      );
      await expectProblem(await create(bot, { name: "x" }), 403);
    });
  });

  describe("refresh re-checks the caps", () => {
    it("refuses Max (Staging admin, Platform member) a key Ada made with org_role admin: 403 and no key", async () => {
      const { harness, tokens, spaceIds } = demo;
      const adaKey = await createServiceKey(harness, tokens.admin, spaceIds.Staging, {
        space_role: "admin",
        org_role: "admin",
        account_role: "member",
      });
      const secretsBefore = await secretRows(harness, adaKey.id);
      const res = await refreshKey(harness, tokens.member, adaKey.id, { grace_period_seconds: 60 });
      const text = await res.clone().text();
      const problem = await expectProblem(res, 403);
      expect(problem.detail).toMatch(/org_role "admin".*Platform.*\("member"\)/);
      expect(text).not.toMatch(KEY_SEARCH_PATTERN);
      expect(text).not.toContain('"key"');
      // Nothing changed: the same secret rows, the old key still works.
      expect(await secretRows(harness, adaKey.id)).toEqual(secretsBefore);
      expect(await meStatus(harness, adaKey.key)).toBe(200);
    });

    it("refuses Max a key with account_role admin, and allows one within his caps", async () => {
      const { harness, tokens, spaceIds } = demo;
      const accountAdmin = await createServiceKey(harness, tokens.admin, spaceIds.Staging, {
        space_role: "member",
        org_role: "read-only",
        account_role: "admin",
      });
      const problem = await expectProblem(await refreshKey(harness, tokens.member, accountAdmin.id), 403);
      expect(problem.detail).toMatch(/account_role "admin"/);

      const withinCaps = await createServiceKey(harness, tokens.admin, spaceIds.Staging, {
        space_role: "admin",
        org_role: "member",
        account_role: "member",
      });
      const res = await refreshKey(harness, tokens.member, withinCaps.id);
      expect(res.status).toBe(200);
    });

    it("refuses a bot refreshing a key above its own roles through its key", async () => {
      const { harness, tokens, spaceIds } = demo;
      // The bot is Staging admin (so it may manage any Staging key) but only Platform read-only.
      const bot = await createServiceKey(harness, tokens.admin, spaceIds.Staging, {
        space_role: "admin",
        org_role: "read-only",
      });
      const strongKey = await createServiceKey(harness, tokens.admin, spaceIds.Staging, {
        org_role: "member",
      });
      const problem = await expectProblem(await refreshKey(harness, bot.key, strongKey.id), 403);
      expect(problem.detail).toMatch(/org_role "member".*\("read-only"\)/);
      expect(await meStatus(harness, strongKey.key)).toBe(200);
    });
  });

  describe("mass assignment: ids and owners come from the path and the credential, never the body", () => {
    const extras: [string, unknown][] = [
      ["created_by_user_id", "VXNlcjowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA="],
      ["user_id", "VXNlcjowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA="],
      ["status", "revoked"],
      ["id", "QXBpS2V5OjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="],
      ["account_id", randomUUID()],
      ["key", "ak-not-a-key"],
      ["redacted_key", "ak-abc...xyz"],
      ["created_at", "2020-01-01T00:00:00Z"],
      ["last_used_at", "2020-01-01T00:00:00Z"],
    ];

    it.each(extras)(
      "create with `%s` in the body → 400 naming the field, nothing created",
      async (field, value) => {
        const before = await counts();
        const res = await create(demo.tokens.member, { name: "mass assignment", [field]: value });
        const problem = await expectProblem(res, 400);
        expect(problem.detail).toContain(field);
        expect(await counts()).toEqual(before);
      },
    );

    it.each(extras)("refresh with `%s` in the body → 400, nothing changed", async (field, value) => {
      const key = await createUserKey(demo.harness, demo.tokens.member);
      const before = await secretRows(demo.harness, key.id);
      const res = await refreshKey(demo.harness, demo.tokens.member, key.id, { [field]: value });
      expect((await expectProblem(res, 400)).detail).toContain(field);
      expect(await secretRows(demo.harness, key.id)).toEqual(before);
      expect(await meStatus(demo.harness, key.key)).toBe(200);
    });

    it("refuses unknown fields inside roles", async () => {
      const res = await create(demo.tokens.admin, {
        name: "x",
        key_type: "service",
        space_id: demo.spaceIds.Staging,
        roles: { space_role: "member", bot_user_id: "someone" },
      });
      expect((await expectProblem(res, 400)).detail).toContain("bot_user_id");
    });

    it.each([
      ["space_id", { space_id: "U3BhY2U6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw" }],
      ["roles", { roles: { space_role: "admin" } }],
      ["roles", { key_type: "user", roles: {} }],
    ])("a user key with `%s` → 400", async (field, extra) => {
      const before = await counts();
      const res = await create(demo.tokens.member, { name: "user key", ...extra });
      expect((await expectProblem(res, 400)).detail).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it("a user key asked for Ada by Max (user_id in the body) is refused and never reaches Ada", async () => {
      const res = await create(demo.tokens.member, { name: "mine", user_id: demo.userIds.admin });
      expect(res.status).toBe(400);
      const list = await listKeys(demo.harness, demo.tokens.admin, "limit=100");
      expect(list.api_keys.some((k) => k.name === "mine")).toBe(false);
    });

    it("refuses bad role names and non-string enums", async () => {
      for (const roles of [
        { space_role: "owner" },
        { org_role: "superadmin" },
        { account_role: "read-only" },
        { space_role: 3 },
      ]) {
        const res = await create(demo.tokens.admin, {
          name: "x",
          key_type: "service",
          space_id: demo.spaceIds.Staging,
          roles,
        });
        await expectProblem(res, 400);
      }
    });
  });

  describe("enum inputs are case-insensitive", () => {
    it("accepts SERVICE, Read_Only, READ-ONLY and Member, and stores the canonical roles", async () => {
      const res = await create(demo.tokens.member, {
        name: "shouting client",
        key_type: "SERVICE",
        space_id: demo.spaceIds.Staging,
        roles: { space_role: "Read_Only", org_role: "READ-ONLY", account_role: "Member" },
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { key: string; key_type: string };
      expect(body.key_type).toBe("service");
      const me = await meOf(demo.harness, body.key);
      expect(me.account_role).toBe("member");
      expect(me.organizations).toEqual([
        expect.objectContaining({
          role: "read-only",
          spaces: [expect.objectContaining({ name: "Staging", role: "read-only" })],
        }),
      ]);
    });

    it("accepts `User` for a user key, and upper-case enums in a list's query", async () => {
      expect((await create(demo.tokens.readOnly, { name: "mixed case", key_type: "User" })).status).toBe(201);
      const list = await listKeys(demo.harness, demo.tokens.readOnly, "key_type=USER&status=Active");
      expect(list.api_keys.some((k) => k.name === "mixed case")).toBe(true);
    });
  });
});
