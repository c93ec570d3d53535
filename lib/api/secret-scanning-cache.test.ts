import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock";
import { seedDemoDirectory } from "../directory/demo-seed";
import { listenForKeyChanges, VerificationCache, type KeyChangeListener } from "../keys/verification-cache";
import { digestKey } from "../keys/secrets";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import { createApi } from "./app";

/**
 * A leak report ends a cached secret like a revocation does (lifecycle.md §6): on the instance that
 * received the report at once, and on another instance as soon as its change notification lands.
 */
interface Instance {
  cache: VerificationCache;
  listener: KeyChangeListener;
  app: ReturnType<typeof createApi>;
}

describe.each(testDatabases())("a leak report and the verification caches ($name)", (database) => {
  let handle: TestDatabaseHandle;
  let dir: string;
  let receiving: Instance;
  let other: Instance;
  let admin: string;
  const github = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const KEY_ID = randomBytes(32).toString("hex");

  async function startInstance(withKeys: boolean): Promise<Instance> {
    const clock = new ManualClock(new Date().toISOString());
    const cache = new VerificationCache({ clock });
    const listener = await listenForKeyChanges(handle, cache, { log: () => undefined });
    const app = createApi({
      db: handle.db,
      clock,
      verificationCache: cache,
      config: withKeys ? { secretScanning: { github: { file: join(dir, "keys.json") } } } : {},
    });
    return { cache, listener, app };
  }
  const call = (instance: Instance, method: string, path: string, token?: string, body?: unknown) =>
    Promise.resolve(
      instance.app.request(path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const me = async (instance: Instance, key: string) => (await call(instance, "GET", "/v2/me", key)).status;
  async function cached(instance: Instance, key: string) {
    await vi.waitFor(
      async () => {
        expect(await me(instance, key)).toBe(200);
        expect(instance.cache.get(digestKey(key))).toBeDefined();
      },
      { timeout: 5_000, interval: 5 },
    );
  }
  async function reportLeak(token: string) {
    const body = JSON.stringify([
      { token, type: "keydesk_api_key", url: `https://github.com/o/r/${randomBytes(4).toString("hex")}` },
    ]);
    const res = await Promise.resolve(
      receiving.app.request("/v2/secret-scanning/github", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "github-public-key-identifier": KEY_ID,
          "github-public-key-signature": sign("sha256", Buffer.from(body), github.privateKey).toString(
            "base64",
          ),
        },
        body,
      }),
    );
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "keydesk-leak-cache-"));
    writeFileSync(
      join(dir, "keys.json"),
      JSON.stringify({
        public_keys: [
          {
            key_identifier: KEY_ID,
            key: github.publicKey.export({ type: "spki", format: "pem" }).toString(),
            is_current: true,
          },
        ],
      }),
    );
    handle = await database.open();
    await seedDemoDirectory(handle.db);
    receiving = await startInstance(true);
    other = await startInstance(false);
    const res = await call(receiving, "POST", "/v2/sessions", undefined, {
      email: DEMO_USERS.admin.email,
      password: DEMO_PASSWORD,
    });
    admin = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await receiving?.listener.close();
    await other?.listener.close();
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a cached current secret is refused at once where the report arrived, and on the other instance once notified", async () => {
    const created = await call(receiving, "POST", "/v2/api-keys", admin, { name: "cached leak" });
    const { key } = (await created.json()) as { key: string };
    await cached(receiving, key);
    await cached(other, key);
    await reportLeak(key);
    expect(await me(receiving, key)).toBe(401);
    await vi.waitFor(async () => expect(await me(other, key)).toBe(401), { timeout: 5_000, interval: 5 });
  });

  it("a cached previous secret in grace is refused at once; the current secret goes on", async () => {
    const created = await call(receiving, "POST", "/v2/api-keys", admin, { name: "cached grace leak" });
    const { id, key: old } = (await created.json()) as { id: string; key: string };
    const refreshed = await call(receiving, "POST", `/v2/api-keys/${encodeURIComponent(id)}/refresh`, admin, {
      grace_period_seconds: 3600,
    });
    const { key: current } = (await refreshed.json()) as { key: string };
    await cached(receiving, old);
    await cached(other, old);
    await reportLeak(old);
    expect(await me(receiving, old)).toBe(401);
    expect(await me(receiving, current)).toBe(200);
    await vi.waitFor(async () => expect(await me(other, old)).toBe(401), { timeout: 5_000, interval: 5 });
    expect(await me(other, current)).toBe(200);
  });
});
