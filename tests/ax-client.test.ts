/**
 * Arize's published TypeScript client against a real Keydesk server, one version per wire generation
 * and both ends of each (directory.md, "Dialects"): 1.18.1 (A, delete), 1.19.0 and 1.23.0 (B, revoke),
 * 1.24.0 (C, SCREAMING_SNAKE), 1.27.0 and 1.28.0 (D, `organizations[]` service keys, role objects,
 * bot_user). Each does list, create (user and service keys with roles, by space id and by the space's
 * name through its listSpaces), refresh with grace, revoke/delete, and the errors it raises from our
 * problem+json bodies. The server answers each in its own dialect (lib/api/dialect.ts).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ax118 from "ax-client-118";
import * as ax119 from "ax-client-119";
import * as ax123 from "ax-client-123";
import * as ax124 from "ax-client-124";
import * as ax127 from "ax-client-127";
import * as ax128 from "ax-client-128";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";
import { KEY_PATTERN } from "../lib/keys/secrets";
import type { Me } from "../lib/schemas/directory";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { jsonHttp } from "../lib/testing/client-runs";

process.env.DISABLE_PRERELEASE_WARNING = "true";

type Role = "admin" | "member" | "read-only";
type AccountRole = "admin" | "member";
interface Roles {
  space: Role;
  org: Role;
  account: AccountRole;
}

/** A key as every version's client returns it, in this test's terms. */
interface KeyOut {
  id: string;
  name: string;
  description?: string;
  keyType: string;
  status: string;
  redactedKey?: string;
  createdAt: Date;
  expiresAt?: Date;
  createdByUserId: string;
}
type Created = KeyOut & { key: string };
interface ErrorClasses {
  AuthenticationError: abstract new (...args: never[]) => Error;
  BadRequestError: abstract new (...args: never[]) => Error;
  NotFoundError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error;
}

/**
 * One client version behind one interface. Each adapter calls that version's own functions with
 * that version's own types; nothing is cast.
 */
interface AxFlavor {
  version: string;
  generation: "A" | "B" | "C" | "D";
  list(
    apiKey: string,
    filters?: { keyType?: "user" | "service"; revoked?: boolean; spaceId?: string },
  ): Promise<KeyOut[]>;
  createUserKey(
    apiKey: string,
    input: { name: string; description?: string; expiresAt?: Date },
  ): Promise<Created>;
  createServiceKey(
    apiKey: string,
    input: { name: string; spaceId: string; orgId: string; roles?: Partial<Roles> },
  ): Promise<Created>;
  refresh(apiKey: string, input: { id: string; graceSeconds?: number; expiresAt?: Date }): Promise<Created>;
  remove(apiKey: string, id: string): Promise<void>;
  listSpaces(
    apiKey: string,
    name: string,
  ): Promise<{ id: string; name: string; createdAt: Date; isPrivate?: boolean }[]>;
  errors: ErrorClasses;
}

const UPPER = { admin: "ADMIN", member: "MEMBER", "read-only": "READ_ONLY" } as const;

/** Generations A and B (1.18 deletes, 1.19 and 1.23 revoke): flat body, lowercase. */
/** What the generation A/B adapter needs from a client module, structurally (1.18, 1.19 and 1.23 differ in details). */
interface AxAB<C> {
  createClient(options: { apiKey: string; baseUrl: string }): C;
  listApiKeys(params: {
    client: C;
    keyType?: "user" | "service";
    status?: "active" | "revoked";
    spaceId?: string;
    limit?: number;
  }): Promise<{ data: KeyOut[] }>;
  createApiKey(params: {
    client: C;
    name: string;
    description?: string;
    expiresAt?: Date;
    keyType?: "user" | "service";
    spaceId?: string;
    roles?: { spaceRole?: Role; orgRole?: Role; accountRole?: AccountRole };
  }): Promise<Created>;
  refreshApiKey(params: {
    client: C;
    apiKeyId: string;
    gracePeriodSeconds?: number;
    expiresAt?: Date;
  }): Promise<Created>;
  listSpaces(params: {
    client: C;
    name?: string;
  }): Promise<{ data: { id: string; name: string; createdAt: Date }[] }>;
  AuthenticationError: ErrorClasses["AuthenticationError"];
  BadRequestError: ErrorClasses["BadRequestError"];
  NotFoundError: ErrorClasses["NotFoundError"];
  APIError: ErrorClasses["APIError"];
}

function flavorAB<C>(
  version: string,
  ax: AxAB<C>,
  remove: (params: { client: C; apiKeyId: string }) => Promise<void>,
  generation: "A" | "B",
): AxFlavor {
  const client = (apiKey: string) => ax.createClient({ apiKey, baseUrl });
  return {
    version,
    generation,
    list: async (apiKey, f = {}) =>
      (
        await ax.listApiKeys({
          client: client(apiKey),
          keyType: f.keyType,
          status: f.revoked ? "revoked" : undefined,
          spaceId: f.spaceId,
          limit: 100,
        })
      ).data,
    createUserKey: (apiKey, input) => ax.createApiKey({ client: client(apiKey), ...input }),
    createServiceKey: (apiKey, input) =>
      ax.createApiKey({
        client: client(apiKey),
        name: input.name,
        keyType: "service",
        spaceId: input.spaceId,
        roles: input.roles && {
          spaceRole: input.roles.space,
          orgRole: input.roles.org,
          accountRole: input.roles.account,
        },
      }),
    refresh: (apiKey, input) =>
      ax.refreshApiKey({
        client: client(apiKey),
        apiKeyId: input.id,
        gracePeriodSeconds: input.graceSeconds,
        expiresAt: input.expiresAt,
      }),
    remove: (apiKey, id) => remove({ client: client(apiKey), apiKeyId: id }),
    listSpaces: async (apiKey, name) => (await ax.listSpaces({ client: client(apiKey), name })).data,
    errors: ax,
  };
}

/** Generation C (1.24): flat body, SCREAMING_SNAKE; create/refresh answers carry `key`, no `redacted_key`. */
function flavorC(version: string, ax: typeof ax124): AxFlavor {
  const client = (apiKey: string) => ax.createClient({ apiKey, baseUrl });
  return {
    version,
    generation: "C",
    list: async (apiKey, f = {}) =>
      (
        await ax.listApiKeys({
          client: client(apiKey),
          keyType: f.keyType === "user" ? "USER" : f.keyType === "service" ? "SERVICE" : undefined,
          status: f.revoked ? "REVOKED" : undefined,
          spaceId: f.spaceId,
          limit: 100,
        })
      ).data,
    createUserKey: (apiKey, input) => ax.createApiKey({ client: client(apiKey), keyType: "USER", ...input }),
    createServiceKey: (apiKey, input) =>
      ax.createApiKey({
        client: client(apiKey),
        name: input.name,
        keyType: "SERVICE",
        spaceId: input.spaceId,
        roles: input.roles && {
          spaceRole: input.roles.space && UPPER[input.roles.space],
          orgRole: input.roles.org && UPPER[input.roles.org],
          accountRole: input.roles.account && UPPER[input.roles.account],
        },
      }),
    refresh: (apiKey, input) =>
      ax.refreshApiKey({
        client: client(apiKey),
        apiKeyId: input.id,
        gracePeriodSeconds: input.graceSeconds,
        expiresAt: input.expiresAt,
      }),
    remove: (apiKey, id) => ax.revokeApiKey({ client: client(apiKey), apiKeyId: id }),
    listSpaces: async (apiKey, name) => (await ax.listSpaces({ client: client(apiKey), name })).data,
    errors: ax,
  };
}

/** Generation D (1.27, 1.28): `organizations[]` with role objects for service keys. */
function flavorD(version: string, ax: typeof ax127 | typeof ax128): AxFlavor {
  const client = (apiKey: string) => ax.createClient({ apiKey, baseUrl });
  return {
    version,
    generation: "D",
    list: async (apiKey, f = {}) =>
      (
        await ax.listApiKeys({
          client: client(apiKey),
          keyType: f.keyType === "user" ? "USER" : f.keyType === "service" ? "SERVICE" : undefined,
          status: f.revoked ? "REVOKED" : undefined,
          spaceId: f.spaceId,
          limit: 100,
        })
      ).data,
    createUserKey: (apiKey, input) => ax.createApiKey({ client: client(apiKey), keyType: "USER", ...input }),
    createServiceKey: (apiKey, input) =>
      ax.createApiKey({
        client: client(apiKey),
        name: input.name,
        keyType: "SERVICE",
        ...(input.roles?.account ? { accountRole: { name: UPPER[input.roles.account] } } : {}),
        organizations: [
          {
            orgId: input.orgId,
            ...(input.roles?.org ? { role: { name: UPPER[input.roles.org] } } : {}),
            spaces: [
              {
                spaceId: input.spaceId,
                ...(input.roles?.space ? { role: { name: UPPER[input.roles.space] } } : {}),
              },
            ],
          },
        ],
      }),
    refresh: (apiKey, input) =>
      ax.refreshApiKey({
        client: client(apiKey),
        apiKeyId: input.id,
        gracePeriodSeconds: input.graceSeconds,
        expiresAt: input.expiresAt,
      }),
    remove: (apiKey, id) => ax.revokeApiKey({ client: client(apiKey), apiKeyId: id }),
    listSpaces: async (apiKey, name) => (await ax.listSpaces({ client: client(apiKey), name })).data,
    errors: ax,
  };
}

let baseUrl = "";

const flavors: AxFlavor[] = [
  flavorAB("1.18.1", ax118, ax118.deleteApiKey, "A"),
  flavorAB("1.19.0", ax119, ax119.revokeApiKey, "B"),
  flavorAB("1.23.0", ax123, ax123.revokeApiKey, "B"),
  flavorC("1.24.0", ax124),
  flavorD("1.27.0", ax127),
  flavorD("1.28.0", ax128),
];

interface Target {
  name: string;
  start(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "pglite",
    async start() {
      const dir = await mkdtemp(path.join(os.tmpdir(), "keydesk-ax-"));
      return {
        env: { DATABASE_URL: `pglite:${dir}` },
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
];
const pgBase = process.env.TEST_DATABASE_URL;
if (pgBase) {
  targets.push({
    name: "postgres",
    async start() {
      // A scratch database of its own; the handle stays open (idle) until the server has stopped,
      // and closing it drops the database.
      const handle: TestDatabaseHandle = await openScratchPostgres(pgBase);
      return { env: { DATABASE_URL: handle.url, KEYDESK_DEMO: "1" }, cleanup: () => handle.close() };
    },
  });
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000);

describe.each(targets)("ax-client against server.ts ($name)", (target) => {
  let server: SpawnedServer | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  let adaKey = "";
  let adaKeyId = "";
  let adaUserId = "";
  let maxKey = "";
  let productionId = "";
  let stagingId = "";
  let experimentsId = "";
  let platformId = "";
  let researchId = "";

  const http = jsonHttp(() => baseUrl);

  const meStatus = async (key: string) => (await http("GET", "/v2/me", key)).status;

  async function signInAndCreateKey(user: "admin" | "member") {
    const session = await http<{ token: string }>("POST", "/v2/sessions", undefined, {
      email: DEMO_USERS[user].email,
      password: DEMO_PASSWORD,
    });
    expect(session.status).toBe(201);
    const token = session.json.token;
    const created = await http<{ id: string; key: string; created_by_user_id: string }>(
      "POST",
      "/v2/api-keys",
      token,
      {
        name: `plain fetch key of ${user}`,
      },
    );
    expect(created.status).toBe(201);
    return { token, key: created.json };
  }

  beforeAll(async () => {
    const started = await target.start();
    cleanup = started.cleanup;
    server = await spawnServer({ env: started.env });
    baseUrl = server.baseUrl;

    const ada = await signInAndCreateKey("admin");
    adaKey = ada.key.key;
    adaKeyId = ada.key.id;
    adaUserId = ada.key.created_by_user_id;
    maxKey = (await signInAndCreateKey("member")).key.key;
    const me = (await http<Me>("GET", "/v2/me", ada.token)).json;
    const ids = new Map<string, string>();
    for (const o of me.organizations) {
      ids.set(o.name, o.id);
      for (const s of o.spaces) ids.set(s.name, s.id);
    }
    const id = (name: string) => {
      const found = ids.get(name);
      if (!found) throw new Error(`no ${name} in the demo directory`);
      return found;
    };
    productionId = id("Production");
    stagingId = id("Staging");
    experimentsId = id("Experiments");
    platformId = id("Platform");
    researchId = id("Research");
  });

  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
  });

  describe.each(flavors)("@arizeai/ax-client $version (generation $generation)", (ax) => {
    const nonce = randomBytes(4).toString("hex");
    const upper = ax.generation === "C" || ax.generation === "D";
    const spell = (value: string) => (upper ? value.replace(/-/g, "_").toUpperCase() : value);
    const revokedStatus = spell("revoked");

    it("lists the caller's keys, converted: Dates, camelCase, this generation's enums", async () => {
      const keys = await ax.list(adaKey);
      const mine = keys.find((k) => k.id === adaKeyId);
      expect(mine).toBeDefined();
      expect(mine?.keyType).toBe(spell("user"));
      expect(mine?.status).toBe(spell("active"));
      expect(mine?.createdAt).toBeInstanceOf(Date);
      expect(Number.isNaN(mine?.createdAt.getTime())).toBe(false);
      expect(mine?.createdByUserId).toBe(adaUserId);
      expect(mine?.redactedKey).toBe(`${adaKey.slice(0, 6)}...${adaKey.slice(-3)}`);
      for (const key of keys) expect(key).not.toHaveProperty("key");
    });

    it("creates a user key that authenticates as Ada", async () => {
      const expiresAt = future(30);
      const name = `ax ${ax.version} user ${nonce}`;
      const created = await ax.createUserKey(adaKey, {
        name,
        description: "made by the Arize client",
        expiresAt,
      });
      expect(created.key).toMatch(KEY_PATTERN);
      expect(created).toMatchObject({
        name,
        description: "made by the Arize client",
        keyType: spell("user"),
        status: spell("active"),
        createdByUserId: adaUserId,
      });
      // Generation C's create answer is its ApiKey schema: `key`, and no `redacted_key`.
      if (ax.generation === "C") expect(created).not.toHaveProperty("redactedKey");
      else expect(created.redactedKey).toBe(`${created.key.slice(0, 6)}...${created.key.slice(-3)}`);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(created.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
      const me = await http<Me>("GET", "/v2/me", created.key);
      expect(me.status).toBe(200);
      expect(me.json.credential).toEqual({ type: "user_key", api_key_id: created.id });
    });

    it("creates a service key in Production with roles, by id and by the space's name", async () => {
      // The client has no name resolution for api keys; its listSpaces (GET /v2/spaces) does it.
      const spaces = await ax.listSpaces(adaKey, "Production");
      const production = spaces.filter((s) => s.name === "Production");
      expect(production).toHaveLength(1);
      expect(production[0]?.id).toBe(productionId);
      expect(production[0]?.createdAt).toBeInstanceOf(Date);
      // `is_private` only for the versions whose Space schema has it (1.27 on).
      expect(Object.keys(production[0] ?? {}).sort()).toEqual(
        ax.generation === "D"
          ? ["createdAt", "description", "id", "isPrivate", "name"]
          : ["createdAt", "description", "id", "name"],
      );

      for (const spaceId of [productionId, production[0]?.id ?? ""]) {
        const created = await ax.createServiceKey(adaKey, {
          name: `ax ${ax.version} service ${nonce}`,
          spaceId,
          orgId: platformId,
          roles: { space: "admin", org: "member", account: "member" },
        });
        expect(created.keyType).toBe(spell("service"));
        expect(created.key).toMatch(KEY_PATTERN);
        expect(created.createdByUserId).toBe(adaUserId);
        const me = await http<Me>("GET", "/v2/me", created.key);
        expect(me.status).toBe(200);
        const bot = me.json;
        expect(bot.user.kind).toBe("bot");
        expect(bot.account_role).toBe("member");
        expect(bot.credential).toEqual({ type: "service_key", api_key_id: created.id });
        const platform = bot.organizations.find((o) => o.name === "Platform");
        expect(platform?.role).toBe("member");
        expect(platform?.spaces.find((s) => s.name === "Production")?.role).toBe("admin");

        expect((await ax.list(adaKey, { spaceId })).map((k) => k.id)).toContain(created.id);
        expect((await ax.list(adaKey, { keyType: "service" })).map((k) => k.id)).toContain(created.id);
      }

      // A space name where an id belongs is simply not found.
      await expect(
        ax.createServiceKey(adaKey, { name: "by raw name", spaceId: "Production", orgId: platformId }),
      ).rejects.toBeInstanceOf(ax.errors.NotFoundError);
    });

    it("refreshes with a grace period: old and new secrets both work, same id", async () => {
      const created = await ax.createUserKey(adaKey, { name: `ax ${ax.version} rotate ${nonce}` });
      const expiresAt = future(90);
      const refreshed = await ax.refresh(adaKey, { id: created.id, graceSeconds: 600, expiresAt });
      expect(refreshed.id).toBe(created.id);
      expect(refreshed.name).toBe(created.name);
      expect(refreshed.keyType).toBe(spell("user"));
      expect(refreshed.key).toMatch(KEY_PATTERN);
      expect(refreshed.key).not.toBe(created.key);
      expect(refreshed.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
      expect(refreshed.createdAt).toBeInstanceOf(Date);
      expect(await meStatus(created.key)).toBe(200);
      expect(await meStatus(refreshed.key)).toBe(200);

      if (ax.generation === "C" || ax.generation === "D") {
        // Their contract: a refresh may not lengthen a key's life (422), only keep or shorten it.
        const longer = ax.refresh(adaKey, { id: created.id });
        await expect(longer).rejects.toBeInstanceOf(ax.errors.APIError);
        await expect(longer).rejects.toMatchObject({ statusCode: 422 });
        const sooner = future(60);
        const again = await ax.refresh(adaKey, { id: created.id, expiresAt: sooner });
        expect(again.expiresAt?.toISOString()).toBe(sooner.toISOString());
        expect(await meStatus(refreshed.key)).toBe(401);
        expect(await meStatus(again.key)).toBe(200);
      } else {
        // Without a grace period the previous secret stops at once.
        const again = await ax.refresh(adaKey, { id: created.id });
        expect(again.expiresAt).toBeUndefined();
        expect(await meStatus(refreshed.key)).toBe(401);
        expect(await meStatus(again.key)).toBe(200);
      }
    });

    it(`${ax.generation === "A" ? "deletes" : "revokes"} a key: every secret dies, idempotently`, async () => {
      const created = await ax.createUserKey(adaKey, { name: `ax ${ax.version} doomed ${nonce}` });
      const refreshed = await ax.refresh(adaKey, { id: created.id, graceSeconds: 3600 });
      expect(await meStatus(created.key)).toBe(200);
      await expect(ax.remove(adaKey, created.id)).resolves.toBeUndefined();
      expect(await meStatus(created.key)).toBe(401);
      expect(await meStatus(refreshed.key)).toBe(401);
      await expect(ax.remove(adaKey, created.id)).resolves.toBeUndefined();

      const revoked = await ax.list(adaKey, { revoked: true });
      expect(revoked.find((k) => k.id === created.id)?.status).toBe(revokedStatus);
      expect((await ax.list(adaKey)).map((k) => k.id)).not.toContain(created.id);
      await expect(ax.refresh(adaKey, { id: created.id })).rejects.toMatchObject({ statusCode: 409 });
    });

    it("raises the client's typed errors from our problem+json bodies", async () => {
      const bad = `${adaKey.slice(0, -1)}${adaKey.endsWith("A") ? "B" : "A"}`;
      await expect(ax.list(bad)).rejects.toBeInstanceOf(ax.errors.AuthenticationError);
      await expect(ax.createUserKey(adaKey, { name: "   " })).rejects.toBeInstanceOf(
        ax.errors.BadRequestError,
      );
      await expect(
        ax.remove(adaKey, Buffer.from("ApiKey:00000000-0000-4000-8000-000000000000").toString("base64")),
      ).rejects.toBeInstanceOf(ax.errors.NotFoundError);
      // Clamping: Max (Production member) cannot mint a Production admin, and is told which scope:
      // a 400 for generations A–C, a 422 for generation D (its contract).
      const clamped = ax.createServiceKey(maxKey, {
        name: "too strong",
        spaceId: productionId,
        orgId: platformId,
        roles: { space: "admin" },
      });
      if (ax.generation === "D") {
        await expect(clamped).rejects.toMatchObject({ statusCode: 422 });
        await expect(clamped).rejects.not.toBeInstanceOf(ax.errors.BadRequestError);
      } else {
        await expect(clamped).rejects.toBeInstanceOf(ax.errors.BadRequestError);
      }
      await expect(clamped).rejects.toThrow(/space_role.*Production.*member/);
    });
  });

  describe.each(flavors.filter((f) => f.generation === "D"))(
    "@arizeai/ax-client $version: one service key across organizations and spaces",
    (ax) => {
      it("one bot user with a role in each space, bot_user in the answer, listed in each space", async () => {
        const flavor = ax.version === "1.27.0" ? ax127 : ax128;
        const client = flavor.createClient({ apiKey: adaKey, baseUrl });
        const created = await flavor.createApiKey({
          client,
          keyType: "SERVICE",
          name: `ax ${ax.version} multi`,
          organizations: [
            {
              orgId: platformId,
              spaces: [{ spaceId: productionId, role: { name: "READ_ONLY" } }, { spaceId: stagingId }],
            },
            { orgId: researchId, role: { name: "MEMBER" }, spaces: [{ spaceId: experimentsId }] },
          ],
        });
        expect(created.keyType).toBe("SERVICE");
        if (created.keyType !== "SERVICE") throw new Error("not a service key");
        expect(created.botUser?.accountRole).toEqual({ type: "PREDEFINED", name: "MEMBER" });
        expect(created.botUser?.organizations).toEqual([
          {
            orgId: platformId,
            role: { type: "PREDEFINED", name: "READ_ONLY" },
            spaces: [
              { spaceId: productionId, role: { type: "PREDEFINED", name: "READ_ONLY" } },
              { spaceId: stagingId, role: { type: "PREDEFINED", name: "MEMBER" } },
            ],
          },
          {
            orgId: researchId,
            role: { type: "PREDEFINED", name: "MEMBER" },
            spaces: [{ spaceId: experimentsId, role: { type: "PREDEFINED", name: "MEMBER" } }],
          },
        ]);
        const bot = (await http<Me>("GET", "/v2/me", created.key)).json;
        expect(bot.organizations.flatMap((o) => o.spaces.map((s) => [s.name, s.role]))).toEqual([
          ["Production", "read-only"],
          ["Staging", "member"],
          ["Experiments", "member"],
        ]);
        for (const spaceId of [productionId, stagingId, experimentsId]) {
          expect((await ax.list(adaKey, { spaceId })).map((k) => k.id)).toContain(created.id);
        }
        // Listing a space shows the keys bound to it and no others: a Production-only key is not in
        // Experiments.
        const productionOnly = await ax.createServiceKey(adaKey, {
          name: `ax ${ax.version} production only`,
          spaceId: productionId,
          orgId: platformId,
        });
        const inExperiments = (await ax.list(adaKey, { spaceId: experimentsId })).map((k) => k.id);
        expect(inExperiments).toContain(created.id);
        expect(inExperiments).not.toContain(productionOnly.id);
        expect((await ax.list(adaKey, { spaceId: productionId })).map((k) => k.id)).toContain(
          productionOnly.id,
        );
        // Max is read-only in Research: he may not put a key there, whatever role it asks.
        const max = flavor.createClient({ apiKey: maxKey, baseUrl });
        await expect(
          flavor.createApiKey({
            client: max,
            keyType: "SERVICE",
            name: "not in Research",
            organizations: [
              { orgId: researchId, spaces: [{ spaceId: experimentsId, role: { name: "READ_ONLY" } }] },
            ],
          }),
        ).rejects.toMatchObject({ statusCode: 403 });
        // Roles this server does not have: a clear 422, not a 400 or 404.
        const annotator = flavor.createApiKey({
          client,
          keyType: "SERVICE",
          name: "annotator",
          organizations: [
            { orgId: platformId, spaces: [{ spaceId: stagingId, role: { name: "ANNOTATOR" } }] },
          ],
        });
        await expect(annotator).rejects.toMatchObject({ statusCode: 422 });
        await expect(annotator).rejects.toThrow(/not supported by this server/);
      });
    },
  );
});
