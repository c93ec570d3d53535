/**
 * A role change takes effect on the very next request, whichever instance serves it: the cache of
 * verified keys (lib/keys/verification-cache.ts) never serves the old roles of a person whose
 * membership or account role changed — in this instance at once, in others once the database's
 * notification (migration 0001's triggers, sent in the changing transaction) has arrived.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { seedDemoDirectory } from "../directory/demo-seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { digestKey } from "../keys/secrets";
import { listenForKeyChanges, VerificationCache, type KeyChangeListener } from "../keys/verification-cache";
import { openScratchPostgres, testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import { createApi } from "./app";

interface Instance {
  cache: VerificationCache;
  listener: KeyChangeListener;
  request(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
}

async function startInstance(
  handle: Pick<DatabaseHandle, "db" | "target">,
  clock: ManualClock,
): Promise<Instance> {
  const cache = new VerificationCache({ clock });
  const listener = await listenForKeyChanges(handle, cache, { log: () => undefined });
  const app = createApi({
    db: handle.db,
    clock,
    verificationCache: cache,
    config: { failedAuthPerMinute: 0 },
  });
  return {
    cache,
    listener,
    request: async (method, path, token, body) =>
      app.request(path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
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

interface Fixture {
  admin: string;
  maxKey: string;
  maxId: string;
  stagingId: string;
}

/** Max (admin of Staging) with a user key that `cached` has verified and holds. */
async function fixture(a: Instance, cached: Instance): Promise<Fixture> {
  const admin = await signIn(a, "admin");
  const max = await signIn(a, "member");
  const created = await a.request("POST", "/v2/api-keys", max, { name: "max's automation" });
  expect(created.status).toBe(201);
  const maxKey = ((await created.json()) as { key: string }).key;
  const me = await vi.waitFor(
    async () => {
      const res = await cached.request("GET", "/v2/me", maxKey);
      expect(res.status).toBe(200);
      expect(cached.cache.get(digestKey(maxKey))).toBeDefined();
      return (await res.json()) as {
        user: { id: string };
        organizations: { spaces: { id: string; name: string; role: string }[] }[];
      };
    },
    { timeout: 5_000, interval: 5 },
  );
  const staging = me.organizations.flatMap((o) => o.spaces).find((s) => s.name === "Staging");
  expect(staging?.role).toBe("admin");
  return { admin, maxKey, maxId: me.user.id, stagingId: staging?.id ?? "" };
}

const serviceKeyIn = (instance: Instance, key: string, spaceId: string) =>
  instance.request("POST", "/v2/api-keys", key, {
    name: `service key ${Math.random()}`,
    key_type: "service",
    space_id: spaceId,
    roles: { space_role: "read-only" },
  });

const demote = (instance: Instance, f: Fixture) =>
  instance.request("POST", `/v2/spaces/${encodeURIComponent(f.stagingId)}/users`, f.admin, {
    user_id: f.maxId,
    role: "read-only",
  });

describe.each(testDatabases())("role changes and the key cache, one instance ($name)", (database) => {
  let handle: TestDatabaseHandle;
  let api: Instance;

  beforeAll(async () => {
    handle = await database.open();
    await seedDemoDirectory(handle.db);
    api = await startInstance(handle, new ManualClock(new Date().toISOString()));
  });
  afterAll(async () => {
    await api?.listener.close();
    await handle?.close();
  });

  it("a member demoted to read-only cannot create a service key one request later", async () => {
    const f = await fixture(api, api);
    expect((await demote(api, f)).status).toBe(200);
    const refused = await serviceKeyIn(api, f.maxKey, f.stagingId);
    expect(refused.status).toBe(403);
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.runIf(postgresUrl)("role changes and the key cache, two instances on one PostgreSQL", () => {
  let handle: TestDatabaseHandle;
  let second: DatabaseHandle;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    if (!postgresUrl) return;
    handle = await openScratchPostgres(postgresUrl);
    second = await openDatabase({ kind: "postgres", url: handle.url });
    await seedDemoDirectory(handle.db);
    const clock = new ManualClock(new Date().toISOString());
    a = await startInstance(handle, clock);
    b = await startInstance(second, clock);
  });
  afterAll(async () => {
    await Promise.all([a?.listener.close(), b?.listener.close()]);
    await second?.close();
    await handle?.close();
  });

  it("demoted on instance A: instance B, which held Max's verified key, refuses the service key on the next request after the notification", async () => {
    const f = await fixture(a, b);
    expect((await serviceKeyIn(b, f.maxKey, f.stagingId)).status).toBe(201);
    await vi.waitFor(() => expect(b.cache.get(digestKey(f.maxKey))).toBeDefined(), {
      timeout: 5_000,
      interval: 5,
    });
    expect((await demote(a, f)).status).toBe(200);
    // The notification for Max's membership drops his entry (other notifications may come and go).
    await vi.waitFor(() => expect(b.cache.get(digestKey(f.maxKey))).toBeUndefined(), {
      timeout: 5_000,
      interval: 2,
    });
    expect((await serviceKeyIn(b, f.maxKey, f.stagingId)).status).toBe(403);
  });

  it("an account role change on A is Max's role on B at the next request", async () => {
    const admin = await signIn(a, "admin");
    const max = await signIn(a, "member");
    const created = await a.request("POST", "/v2/api-keys", max, { name: "max again" });
    const maxKey = ((await created.json()) as { key: string }).key;
    const who = async () =>
      (await (await b.request("GET", "/v2/me", maxKey)).json()) as {
        user: { id: string };
        account_role: string;
      };
    await vi.waitFor(
      async () => {
        expect((await who()).account_role).toBe("member");
        expect(b.cache.get(digestKey(maxKey))).toBeDefined();
      },
      { timeout: 5_000, interval: 5 },
    );
    const id = (await who()).user.id;
    const heard = b.cache.changesHeard;
    const res = await a.request("PATCH", `/v2/users/${encodeURIComponent(id)}`, admin, { role: "admin" });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(b.cache.changesHeard).toBeGreaterThan(heard), {
      timeout: 5_000,
      interval: 2,
    });
    expect((await who()).account_role).toBe("admin");
  });
});
