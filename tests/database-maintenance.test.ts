/**
 * PostgreSQL under maintenance (`ALTER DATABASE … ALLOW_CONNECTIONS false`, its sessions ended): the
 * real server.ts over real HTTP answers every API request 503 with Retry-After — once it answered 500
 * to creates and key verifications, because PostgreSQL refuses those connections with SQLSTATE 55000,
 * a code no list of "connection" codes had — the dashboard says it cannot show the data rather than an
 * empty list, /readyz says the database fails while /healthz stays 200, and everything is served again
 * as soon as connections are allowed. PostgreSQL only: PGlite has no connections to refuse.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import type { ApiKeyCreatedJson } from "../lib/schemas/api-keys";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";

const base = process.env.TEST_DATABASE_URL;

describe.runIf(base)(
  "PostgreSQL refusing connections, the real server (PostgreSQL only)",
  { timeout: 300_000 },
  () => {
    let scratch: TestDatabaseHandle;
    let server: SpawnedServer;
    beforeAll(async () => {
      scratch = await openScratchPostgres(base ?? "");
      await seedDemoDirectory(scratch.db);
      server = await spawnServer({
        // No verification cache: every key is checked against the database.
        env: { DATABASE_URL: scratch.url, KEYDESK_KEY_CACHE: "0", DATABASE_CONNECT_TIMEOUT_MS: "2000" },
        timeoutMs: 200_000,
      });
    }, 240_000);
    afterAll(async () => {
      await server?.stop();
      await scratch?.close();
    });

    const api = (method: string, path: string, credential: string, body?: unknown) =>
      fetch(`${server.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${credential}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const keysPage = (token: string) =>
      fetch(`${server.baseUrl}/settings/api-keys`, { headers: { cookie: `keydesk_session=${token}` } });

    async function expect503(res: Response) {
      expect(res.status, await res.clone().text()).toBe(503);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { code?: string }).code).toBe("database_unavailable");
    }

    const probe = async (path: "/healthz" | "/readyz") => {
      const res = await fetch(`${server.baseUrl}${path}`);
      return { status: res.status, body: (await res.json()) as unknown };
    };

    it("creates and key verifications answer 503 with Retry-After, the keys page shows no empty list, /readyz fails and /healthz does not; allowed again, all served", async () => {
      expect(await probe("/readyz")).toEqual({
        status: 200,
        body: { status: "ok", checks: { database: "ok", migrations: "ok" } },
      });
      const signIn = await fetch(`${server.baseUrl}/v2/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
      });
      expect(signIn.status).toBe(201);
      const { token } = (await signIn.json()) as { token: string };
      const created = await api("POST", "/v2/api-keys", token, { name: "before the maintenance" });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as ApiKeyCreatedJson;
      expect((await api("GET", "/v2/me", key)).status).toBe(200);
      const before = await keysPage(token);
      expect(before.status).toBe(200);
      expect(await before.text()).toContain("before the maintenance");

      const name = new URL(scratch.url).pathname.slice(1);
      const operator = new pg.Client({ connectionString: base });
      await operator.connect();
      try {
        await operator.query(`alter database ${name} allow_connections false`);
        await operator.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [
          name,
        ]);

        await expect503(await api("GET", "/v2/me", key));
        await expect503(await api("POST", "/v2/api-keys", token, { name: "during the maintenance" }));
        await expect503(await api("GET", "/v2/api-keys", token));
        // The page cannot load its viewer: it says it could not be shown, never an empty list.
        const during = await keysPage(token);
        const html = await during.text();
        expect(during.status).toBeGreaterThanOrEqual(500);
        expect(html).not.toMatch(/No API keys yet|No keys match/);
        expect(html).not.toContain("before the maintenance");
        // A load balancer takes the instance out of rotation, and does not restart it.
        const started = performance.now();
        expect(await probe("/readyz")).toEqual({
          status: 503,
          body: { status: "fail", checks: { database: "fail", migrations: "unknown" } },
        });
        expect(performance.now() - started).toBeLessThan(2_500);
        expect(await probe("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
      } finally {
        await operator.query(`alter database ${name} allow_connections true`);
        await operator.end();
      }

      expect((await api("GET", "/v2/me", key)).status).toBe(200);
      expect((await probe("/readyz")).status).toBe(200);
      expect((await api("POST", "/v2/api-keys", token, { name: "after the maintenance" })).status).toBe(201);
      const after = await keysPage(token);
      expect(after.status).toBe(200);
      expect(await after.text()).toContain("after the maintenance");
      expect(server.output()).not.toContain(key);
    });
  },
);
