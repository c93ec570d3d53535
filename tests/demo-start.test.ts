/**
 * `npm start`'s demo comes with keys (lib/keys/demo-keys.ts): the server started with what
 * scripts/start.ts sets shows them, over real HTTP, in the API and on the dashboard's first page; a
 * server started any other way (the test suites' servers) makes none. No secret is ever printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_SEARCH_PATTERN } from "../lib/keys/secrets";
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from "../lib/testing/demo-viewers";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { testDatabases, type TestDatabaseHandle } from "../lib/testing/test-databases";
import { startDefaults } from "../scripts/start-defaults";

async function signIn(server: SpawnedServer, user: DemoUser): Promise<string> {
  const res = await fetch(`${server.baseUrl}/v2/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: DEMO_USERS[user].email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function keyNames(server: SpawnedServer, token: string, query: string): Promise<string[]> {
  const res = await fetch(`${server.baseUrl}/v2/api-keys?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { api_keys: { name: string }[] }).api_keys.map((k) => k.name);
}

describe.each(testDatabases())("npm start's demo ($name)", { timeout: 240_000 }, (database) => {
  let handle: TestDatabaseHandle;
  let server: SpawnedServer;
  beforeAll(async () => {
    // An empty, migrated database; the server makes the demo in it as on a first start.
    handle = await database.open();
    const env = { ...startDefaults({}), DATABASE_URL: handle.url, KEYDESK_DEMO: "1" };
    server = await spawnServer({ env, timeoutMs: 200_000 });
  }, 220_000);
  afterAll(async () => {
    await server?.stop();
    await handle?.close();
  });

  it("starts with the demo's keys, which each person sees in the API", async () => {
    expect(startDefaults({})).toEqual({ KEYDESK_DEMO_KEYS: "1" });
    expect(server.output()).toContain("Created 8 demo API keys");
    const member = await signIn(server, "member");
    expect(await keyNames(server, member, "key_type=user")).toEqual(["Max's CLI"]);
    expect((await keyNames(server, member, "key_type=service&status=all")).sort()).toEqual(
      ["Billing exporter", "Metrics reader", "Notebook sync", "Old deploy bot", "Staging deployer"].sort(),
    );
    const admin = await signIn(server, "admin");
    expect(await keyNames(server, admin, "scope=account&status=all")).toHaveLength(8);
  });

  it("shows them on the dashboard's API Keys page", async () => {
    const member = await signIn(server, "member");
    const res = await fetch(`${server.baseUrl}/settings/api-keys`, {
      headers: { cookie: `keydesk_session=${member}` },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Max(&#x27;|')s CLI/);
    expect(html).not.toContain("No API keys yet");
  });

  it("prints no secret", () => {
    expect(server.output().match(KEY_SEARCH_PATTERN) ?? []).toEqual([]);
  });
});

describe("a server started otherwise", { timeout: 240_000 }, () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await spawnServer({
      env: { DATABASE_URL: "pglite:memory", KEYDESK_DEMO: "1", KEYDESK_DEMO_KEYS: "" },
      timeoutMs: 200_000,
    });
  }, 220_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("makes the demo directory without keys", async () => {
    const admin = await signIn(server, "admin");
    expect(await keyNames(server, admin, "scope=account&status=all")).toEqual([]);
    expect(server.output()).not.toContain("demo API keys");
  });
});
