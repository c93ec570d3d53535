/**
 * Arize's published TypeScript client (@arizeai/ax-client 1.19 "revoke" generation and 1.18 "delete"
 * generation) against a real Keydesk server: list, create user and service keys, refresh with grace,
 * revoke/delete, and the errors it raises from our problem+json bodies.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ax118 from "ax-client-118";
import * as ax119 from "ax-client-119";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/directory/demo-seed";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";
import { KEY_PATTERN } from "../lib/keys/secrets";
import type { Me } from "../lib/schemas/directory";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

process.env.DISABLE_PRERELEASE_WARNING = "true";

type Client = ReturnType<typeof ax119.createClient>;

/** What the test needs from one version of the client. 1.18 types are checked against 1.19's here. */
interface AxFlavor {
  version: string;
  createClient: (options: { apiKey: string; baseUrl: string }) => Client;
  listApiKeys: typeof ax119.listApiKeys;
  createApiKey: typeof ax119.createApiKey;
  refreshApiKey: typeof ax119.refreshApiKey;
  /** 1.19: revokeApiKey (PUT …/revoke); 1.18: deleteApiKey (DELETE …). */
  removeApiKey: (params: { client: Client; apiKeyId: string }) => Promise<void>;
  listSpaces: typeof ax119.listSpaces;
  errors: {
    AuthenticationError: typeof ax119.AuthenticationError;
    BadRequestError: typeof ax119.BadRequestError;
    NotFoundError: typeof ax119.NotFoundError;
    APIError: typeof ax119.APIError;
  };
}

const flavors: AxFlavor[] = [
  {
    version: "1.19",
    createClient: ax119.createClient,
    listApiKeys: ax119.listApiKeys,
    createApiKey: ax119.createApiKey,
    refreshApiKey: ax119.refreshApiKey,
    removeApiKey: ax119.revokeApiKey,
    listSpaces: ax119.listSpaces,
    errors: ax119,
  },
  {
    version: "1.18",
    createClient: ax118.createClient,
    listApiKeys: ax118.listApiKeys,
    createApiKey: ax118.createApiKey,
    refreshApiKey: ax118.refreshApiKey,
    removeApiKey: ax118.deleteApiKey,
    listSpaces: ax118.listSpaces,
    errors: ax118,
  },
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
  let baseUrl = "";
  let adaKey = "";
  let adaKeyId = "";
  let adaUserId = "";
  let maxKey = "";
  let productionId = "";

  async function http(method: string, urlPath: string, credential?: string, body?: unknown) {
    const headers: Record<string, string> = {};
    if (credential) headers.authorization = `Bearer ${credential}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(baseUrl + urlPath, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      json: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }

  const meStatus = async (key: string) => (await http("GET", "/v2/me", key)).status;

  async function signInAndCreateKey(user: "admin" | "member") {
    const session = await http("POST", "/v2/sessions", undefined, {
      email: DEMO_USERS[user].email,
      password: DEMO_PASSWORD,
    });
    expect(session.status).toBe(201);
    const token = (session.json as { token: string }).token;
    const created = await http("POST", "/v2/api-keys", token, { name: `plain fetch key of ${user}` });
    expect(created.status).toBe(201);
    return { token, key: created.json as { id: string; key: string; created_by_user_id: string } };
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
    const spaces = await http("GET", "/v2/spaces", ada.token);
    const production = (spaces.json as { spaces: { id: string; name: string }[] }).spaces.find(
      (s) => s.name === "Production",
    );
    if (!production) throw new Error("no Production space");
    productionId = production.id;
  });

  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
  });

  describe.each(flavors)("@arizeai/ax-client $version", (ax) => {
    const client = () => ax.createClient({ apiKey: adaKey, baseUrl });
    const nonce = randomBytes(4).toString("hex");

    it("lists the caller's keys, converted: Dates, camelCase, pagination", async () => {
      const page = await ax.listApiKeys({ client: client() });
      expect(page.pagination).toEqual({ hasMore: false, nextCursor: undefined });
      const mine = page.data.find((k) => k.id === adaKeyId);
      expect(mine).toBeDefined();
      expect(mine?.keyType).toBe("user");
      expect(mine?.status).toBe("active");
      expect(mine?.createdAt).toBeInstanceOf(Date);
      expect(Number.isNaN(mine?.createdAt.getTime())).toBe(false);
      expect(mine?.createdByUserId).toBe(adaUserId);
      expect(mine?.redactedKey).toBe(`${adaKey.slice(0, 6)}...${adaKey.slice(-3)}`);
      for (const key of page.data) expect(key).not.toHaveProperty("key");
    });

    it("creates a user key that authenticates as Ada", async () => {
      const expiresAt = future(30);
      const created = await ax.createApiKey({
        client: client(),
        name: `ax ${ax.version} user ${nonce}`,
        description: "made by the Arize client",
        expiresAt,
      });
      expect(created.key).toMatch(KEY_PATTERN);
      expect(created).toMatchObject({
        name: `ax ${ax.version} user ${nonce}`,
        description: "made by the Arize client",
        keyType: "user",
        status: "active",
        redactedKey: `${created.key.slice(0, 6)}...${created.key.slice(-3)}`,
        createdByUserId: adaUserId,
      });
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(created.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
      const me = await http("GET", "/v2/me", created.key);
      expect(me.status).toBe(200);
      expect((me.json as Me).credential).toEqual({ type: "user_key", api_key_id: created.id });
    });

    it("creates a service key in Production with roles, by id and by the space's name", async () => {
      // The client has no name resolution for api keys; its listSpaces (GET /v2/spaces) does it.
      const spaces = await ax.listSpaces({ client: client(), name: "Production" });
      const production = spaces.data.filter((s) => s.name === "Production");
      expect(production).toHaveLength(1);
      expect(production[0]?.id).toBe(productionId);
      expect(production[0]?.createdAt).toBeInstanceOf(Date);
      expect(Object.keys(production[0] ?? {}).sort()).toEqual(["createdAt", "description", "id", "name"]);

      for (const spaceId of [productionId, production[0]?.id ?? ""]) {
        const created = await ax.createApiKey({
          client: client(),
          name: `ax ${ax.version} service ${nonce}`,
          keyType: "service",
          spaceId,
          roles: { spaceRole: "admin", orgRole: "member", accountRole: "member" },
        });
        expect(created.keyType).toBe("service");
        expect(created.key).toMatch(KEY_PATTERN);
        expect(created.createdByUserId).toBe(adaUserId);
        const me = await http("GET", "/v2/me", created.key);
        expect(me.status).toBe(200);
        const bot = me.json as Me;
        expect(bot.user.kind).toBe("bot");
        expect(bot.account_role).toBe("member");
        expect(bot.credential).toEqual({ type: "service_key", api_key_id: created.id });
        const platform = bot.organizations.find((o) => o.name === "Platform");
        expect(platform?.role).toBe("member");
        expect(platform?.spaces.find((s) => s.name === "Production")?.role).toBe("admin");

        const listed = await ax.listApiKeys({ client: client(), spaceId });
        expect(listed.data.map((k) => k.id)).toContain(created.id);
        const allService = await ax.listApiKeys({ client: client(), keyType: "service" });
        expect(allService.data.map((k) => k.id)).toContain(created.id);
      }

      // A space name where an id belongs is simply not found.
      await expect(
        ax.createApiKey({ client: client(), name: "by raw name", keyType: "service", spaceId: "Production" }),
      ).rejects.toBeInstanceOf(ax.errors.NotFoundError);
    });

    it("refreshes with a grace period: old and new secrets both work, same id", async () => {
      const created = await ax.createApiKey({ client: client(), name: `ax ${ax.version} rotate ${nonce}` });
      const expiresAt = future(90);
      const refreshed = await ax.refreshApiKey({
        client: client(),
        apiKeyId: created.id,
        gracePeriodSeconds: 600,
        expiresAt,
      });
      expect(refreshed.id).toBe(created.id);
      expect(refreshed.name).toBe(created.name);
      expect(refreshed.keyType).toBe("user");
      expect(refreshed.key).toMatch(KEY_PATTERN);
      expect(refreshed.key).not.toBe(created.key);
      expect(refreshed.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
      expect(refreshed.createdAt).toBeInstanceOf(Date);
      expect(await meStatus(created.key)).toBe(200);
      expect(await meStatus(refreshed.key)).toBe(200);

      // Without a grace period the previous secret stops at once.
      const again = await ax.refreshApiKey({ client: client(), apiKeyId: created.id });
      expect(again.expiresAt).toBeUndefined();
      expect(await meStatus(refreshed.key)).toBe(401);
      expect(await meStatus(again.key)).toBe(200);
    });

    it(`${ax.version === "1.19" ? "revokes" : "deletes"} a key: every secret dies, idempotently`, async () => {
      const created = await ax.createApiKey({ client: client(), name: `ax ${ax.version} doomed ${nonce}` });
      const refreshed = await ax.refreshApiKey({
        client: client(),
        apiKeyId: created.id,
        gracePeriodSeconds: 3600,
      });
      expect(await meStatus(created.key)).toBe(200);
      await expect(ax.removeApiKey({ client: client(), apiKeyId: created.id })).resolves.toBeUndefined();
      expect(await meStatus(created.key)).toBe(401);
      expect(await meStatus(refreshed.key)).toBe(401);
      await expect(ax.removeApiKey({ client: client(), apiKeyId: created.id })).resolves.toBeUndefined();

      const revoked = await ax.listApiKeys({ client: client(), status: "revoked" });
      expect(revoked.data.find((k) => k.id === created.id)?.status).toBe("revoked");
      const active = await ax.listApiKeys({ client: client() });
      expect(active.data.map((k) => k.id)).not.toContain(created.id);
      await expect(ax.refreshApiKey({ client: client(), apiKeyId: created.id })).rejects.toMatchObject({
        statusCode: 409,
      });
    });

    it("raises the client's typed errors from our problem+json bodies", async () => {
      const bad = ax.createClient({
        apiKey: `${adaKey.slice(0, -1)}${adaKey.endsWith("A") ? "B" : "A"}`,
        baseUrl,
      });
      await expect(ax.listApiKeys({ client: bad })).rejects.toBeInstanceOf(ax.errors.AuthenticationError);
      await expect(ax.createApiKey({ client: client(), name: "   " })).rejects.toBeInstanceOf(
        ax.errors.BadRequestError,
      );
      await expect(
        ax.removeApiKey({
          client: client(),
          apiKeyId: Buffer.from("ApiKey:00000000-0000-4000-8000-000000000000").toString("base64"),
        }),
      ).rejects.toBeInstanceOf(ax.errors.NotFoundError);
      // Clamping: Max (Production member) cannot mint a Production admin, and is told which scope.
      const max = ax.createClient({ apiKey: maxKey, baseUrl });
      const clamped = ax.createApiKey({
        client: max,
        name: "too strong",
        keyType: "service",
        spaceId: productionId,
        roles: { spaceRole: "admin" },
      });
      await expect(clamped).rejects.toBeInstanceOf(ax.errors.BadRequestError);
      await expect(clamped).rejects.toThrow(/space_role.*Production.*member/);
    });
  });
});
