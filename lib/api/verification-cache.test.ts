import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { seedDemoDirectory } from "../directory/demo-seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { openScratchPostgres, testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import {
  LISTENER_APPLICATION_NAME,
  listenForKeyChanges,
  VerificationCache,
  type KeyChangeListener,
} from "../keys/verification-cache";
import { digestKey } from "../keys/secrets";
import { createApi } from "./app";

/** One Keydesk instance: its own database handle, cache, change listener and keys API. */
interface Instance {
  cache: VerificationCache;
  listener: KeyChangeListener;
  request(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
  app: ReturnType<typeof createApi>;
  close(): Promise<void>;
}

async function startInstance(
  handle: Pick<DatabaseHandle, "db" | "target">,
  clock: ManualClock,
): Promise<Instance> {
  const cache = new VerificationCache({ clock });
  const listener = await listenForKeyChanges(handle, cache, { log: () => undefined });
  const app = createApi({ db: handle.db, clock, verificationCache: cache });
  return {
    cache,
    listener,
    app,
    request: async (method, path, token, body) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      return app.request(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    close: () => listener.close(),
  };
}

async function signIn(instance: Instance, user: keyof typeof DEMO_USERS): Promise<string> {
  const res = await instance.request("POST", "/v2/sessions", undefined, {
    email: DEMO_USERS[user].email,
    password: DEMO_PASSWORD,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function createKey(
  instance: Instance,
  session: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; key: string }> {
  const res = await instance.request("POST", "/v2/api-keys", session, { name: "cached", ...extra });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

const me = (instance: Instance, key: string) => instance.request("GET", "/v2/me", key);

/**
 * Verifies the key until it is in the cache (a late notification of an earlier change may make the
 * cache refuse one store: conservative, and retried here), then once more from the cache.
 */
async function verifyAndCache(instance: Instance, key: string): Promise<void> {
  await vi.waitFor(
    async () => {
      expect((await me(instance, key)).status).toBe(200);
      expect(instance.cache.get(digestKey(key))).toBeDefined();
    },
    { timeout: 5_000, interval: 5 },
  );
  expect((await me(instance, key)).status).toBe(200);
}

describe.each(testDatabases())("cached verification takes changes at once ($name)", (database) => {
  let handle: TestDatabaseHandle;
  let clock: ManualClock;
  let api: Instance;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    handle = await database.open();
    await seedDemoDirectory(handle.db);
    clock = new ManualClock(new Date().toISOString());
    api = await startInstance(handle, clock);
    admin = await signIn(api, "admin");
    member = await signIn(api, "member");
  });
  afterAll(async () => {
    await api?.close();
    await handle?.close();
  });

  it("serves a repeated verification from the cache", async () => {
    const { key } = await createKey(api, admin);
    await verifyAndCache(api, key);
  });

  it("revoke: the cached key is refused on the very next request", async () => {
    const { id, key } = await createKey(api, admin);
    await verifyAndCache(api, key);
    expect((await api.request("PUT", `/v2/api-keys/${encodeURIComponent(id)}/revoke`, admin)).status).toBe(
      204,
    );
    expect((await me(api, key)).status).toBe(401);
  });

  it("refresh without grace: the cached old secret is refused at once, the new one works", async () => {
    const { id, key } = await createKey(api, admin);
    await verifyAndCache(api, key);
    const res = await api.request("POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, admin, {});
    expect(res.status).toBe(200);
    const { key: next } = (await res.json()) as { key: string };
    expect((await me(api, key)).status).toBe(401);
    expect((await me(api, next)).status).toBe(200);
  });

  it("refresh with grace: the cached old secret stops exactly at the end of the grace period", async () => {
    const { id, key } = await createKey(api, admin);
    await verifyAndCache(api, key);
    const start = clock.now().getTime();
    const heard = api.cache.changesHeard;
    const res = await api.request("POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, admin, {
      grace_period_seconds: 20,
    });
    expect(res.status).toBe(200);
    // The refresh's own notification (already applied in-process) arrives too; let it land first.
    await vi.waitFor(() => expect(api.cache.changesHeard).toBeGreaterThan(heard), {
      timeout: 5_000,
      interval: 5,
    });
    await verifyAndCache(api, key);
    clock.set(start + 20_000 - 1);
    expect((await me(api, key)).status).toBe(200);
    clock.set(start + 20_000);
    expect((await me(api, key)).status).toBe(401);
    clock.set(start);
  });

  it("expiry: a cached key is refused from its expires_at on (exclusive), without waiting for the TTL", async () => {
    const start = clock.now().getTime();
    const expiresAt = new Date(start + 10_000);
    const { key } = await createKey(api, admin, { expires_at: expiresAt.toISOString() });
    await verifyAndCache(api, key);
    clock.set(expiresAt.getTime() - 1);
    expect((await me(api, key)).status).toBe(200);
    clock.set(expiresAt.getTime());
    expect((await me(api, key)).status).toBe(401);
    clock.set(start);
  });

  it("role change: a cached key's /v2/me shows the new role on the very next request, in either enum spelling", async () => {
    const { key } = await createKey(api, member);
    await verifyAndCache(api, key);
    const generationC = { "sdk-package-name": "@arizeai/ax-client", "sdk-version": "1.24.0" };
    const meAs = async (headers: Record<string, string> = {}) => {
      const res = await api.app.request("/v2/me", {
        headers: { authorization: `Bearer ${key}`, ...headers },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { user: { id: string }; account_role: string };
    };
    const before = await meAs();
    expect(before.account_role).toBe("member");
    expect((await meAs(generationC)).account_role).toBe("MEMBER");
    expect((await meAs()).account_role).toBe("member");

    const res = await api.request("PATCH", `/v2/users/${encodeURIComponent(before.user.id)}`, admin, {
      role: "admin",
    });
    expect(res.status).toBe(200);
    expect((await meAs()).account_role).toBe("admin");
    expect((await meAs(generationC)).account_role).toBe("ADMIN");
    const back = await api.request("PATCH", `/v2/users/${encodeURIComponent(before.user.id)}`, admin, {
      role: "member",
    });
    expect(back.status).toBe(200);
    expect((await meAs(generationC)).account_role).toBe("MEMBER");
    expect((await meAs()).account_role).toBe("member");
  });

  it("block: the blocked user's cached key is refused on the very next request", async () => {
    const { key } = await createKey(api, member);
    await verifyAndCache(api, key);
    const who = (await (await me(api, key)).json()) as { user: { id: string } };
    const res = await api.request("DELETE", `/v2/users/${encodeURIComponent(who.user.id)}`, admin);
    expect(res.status).toBe(204);
    expect((await me(api, key)).status).toBe(401);
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.runIf(postgresUrl)("two instances on one PostgreSQL", () => {
  let handle: TestDatabaseHandle;
  let second: DatabaseHandle;
  let clock: ManualClock;
  let a: Instance;
  let b: Instance;
  let admin: string;

  beforeAll(async () => {
    if (!postgresUrl) return;
    handle = await openScratchPostgres(postgresUrl);
    second = await openDatabase({ kind: "postgres", url: handle.url });
    await seedDemoDirectory(handle.db);
    clock = new ManualClock(new Date().toISOString());
    a = await startInstance(handle, clock);
    b = await startInstance(second, clock);
    admin = await signIn(a, "admin");
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await second?.close();
    await handle?.close();
  });

  /** Polls (bounded) until the other instance has heard of the change and refuses the key. */
  const refusedSoon = (instance: Instance, key: string) =>
    vi.waitFor(
      async () => {
        expect((await me(instance, key)).status).toBe(401);
      },
      { timeout: 5_000, interval: 5 },
    );

  it("revoke on one instance: the other, which had cached the key, refuses it once notified", async () => {
    const { id, key } = await createKey(a, admin);
    await verifyAndCache(b, key);
    expect((await a.request("PUT", `/v2/api-keys/${encodeURIComponent(id)}/revoke`, admin)).status).toBe(204);
    await refusedSoon(b, key);
  });

  it("refresh without grace on one instance: the other refuses the old secret once notified", async () => {
    const { id, key } = await createKey(a, admin);
    await verifyAndCache(b, key);
    const res = await a.request("POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, admin, {});
    expect(res.status).toBe(200);
    const { key: next } = (await res.json()) as { key: string };
    await refusedSoon(b, key);
    expect((await me(b, next)).status).toBe(200);
  });

  it("block on one instance: the other refuses the user's cached key once notified", async () => {
    const member = await signIn(a, "readOnly");
    const { key } = await createKey(a, member);
    await verifyAndCache(b, key);
    const who = (await (await me(b, key)).json()) as { user: { id: string } };
    expect((await a.request("DELETE", `/v2/users/${encodeURIComponent(who.user.id)}`, admin)).status).toBe(
      204,
    );
    await refusedSoon(b, key);
  });

  it("a change made outside Keydesk (plain SQL) reaches the cache too", async () => {
    const { id, key } = await createKey(a, admin);
    await verifyAndCache(b, key);
    const keyId = Buffer.from(id, "base64").toString("utf8").split(":")[1];
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    try {
      await client.query("update api_keys set status = 'revoked', revoked_at = now() where id = $1", [keyId]);
    } finally {
      await client.end();
    }
    await refusedSoon(b, key);
  });

  it("losing the LISTEN connection empties the cache and bypasses it until LISTEN is back", async () => {
    const { key } = await createKey(a, admin);
    await verifyAndCache(b, key);
    const admin2 = new pg.Client({ connectionString: handle.url });
    await admin2.connect();
    try {
      const { rowCount } = await admin2.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()",
        [LISTENER_APPLICATION_NAME],
      );
      expect(rowCount).toBe(2);
    } finally {
      await admin2.end();
    }
    await vi.waitFor(() => expect(b.cache.live).toBe(false), { timeout: 5_000, interval: 5 });
    expect(b.cache.size).toBe(0);
    // Bypassed, not broken: verification still works, from the database.
    expect((await me(b, key)).status).toBe(200);
    // Back to caching once the listener has reconnected.
    await vi.waitFor(() => expect(b.cache.live).toBe(true), { timeout: 10_000, interval: 20 });
    await verifyAndCache(b, key);
  });
});
