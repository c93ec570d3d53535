/**
 * A real PostgreSQL in trouble: a table lock held by another connection, backends terminated with
 * pg_terminate_backend, connections refused (the database taken away behind a TCP relay, or refused by
 * PostgreSQL itself: ALLOW_CONNECTIONS false, a database renamed away), a full pool. Every request gets a prompt 503 with Retry-After (never a 500, never a stall), nothing
 * half-done becomes visible, no key answered 201 is lost, and service comes back by itself.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle, type PostgresLimits } from "../db/client";
import { seedDemoDirectory } from "../directory/demo-seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import type { ApiKeyCreatedJson, ApiKeyListJson } from "../schemas/api-keys";
import { startTcpProxy, type TcpProxy } from "../testing/tcp-proxy";
import { openScratchPostgres, type TestDatabaseHandle } from "../testing/test-databases";
import { createApi } from "./app";

const base = process.env.TEST_DATABASE_URL;

describe.runIf(base)("PostgreSQL trouble → 503, never 500 or a stall", { timeout: 120_000 }, () => {
  let scratch: TestDatabaseHandle;
  let proxy: TcpProxy;
  const handles: DatabaseHandle[] = [];
  let adminToken = "";
  let adminKey = "";

  /** The keys API over its own pool, reaching PostgreSQL through the relay. */
  async function apiWith(limits: Partial<PostgresLimits>) {
    const url = new URL(scratch.url);
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    const handle = await openDatabase({ kind: "postgres", url: url.toString() }, { postgres: limits });
    handles.push(handle);
    const app = createApi({
      db: handle.db,
      config: { failedAuthPerMinute: 0, keys: { changesPerCaller: { limit: 100_000, windowMs: 60_000 } } },
    });
    return (method: string, path: string, body?: unknown, credential = adminToken) =>
      Promise.resolve(
        app.request(path, {
          method,
          headers: {
            authorization: `Bearer ${credential}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
  }

  /** Another session on the same database, as an operator or a migration would have. */
  async function otherConnection() {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    return client;
  }

  async function expect503(res: Response) {
    expect(res.status, await res.clone().text()).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  }

  beforeAll(async () => {
    scratch = await openScratchPostgres(base ?? "");
    await seedDemoDirectory(scratch.db);
    const target = new URL(scratch.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const api = await apiWith({});
    const signIn = await api("POST", "/v2/sessions", {
      email: DEMO_USERS.admin.email,
      password: DEMO_PASSWORD,
    });
    adminToken = ((await signIn.json()) as { token: string }).token;
    const created = await api("POST", "/v2/api-keys", { name: "the admin's key" });
    adminKey = ((await created.json()) as ApiKeyCreatedJson).key;
  });
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    await proxy?.close();
    await scratch?.close();
  });

  it("a table lock held by another connection gives fast 503s, not a stall; nothing half-done; then service", async () => {
    const api = await apiWith({ lockTimeoutMs: 500 });
    const locker = await otherConnection();
    try {
      await locker.query("begin");
      await locker.query("lock table api_keys in access exclusive mode");

      for (const request of [
        () => api("GET", "/v2/me", undefined, adminKey), // verification
        () => api("GET", "/v2/api-keys"),
        () => api("POST", "/v2/api-keys", { name: "made while locked" }),
      ]) {
        const started = Date.now();
        const res = await request();
        await expect503(res);
        expect(Date.now() - started).toBeLessThan(3_000);
      }
    } finally {
      await locker.query("rollback");
      await locker.end();
    }

    const list = await api("GET", "/v2/api-keys?limit=100");
    expect(list.status).toBe(200);
    const names = ((await list.json()) as ApiKeyListJson).api_keys.map((k) => k.name);
    expect(names).toContain("the admin's key");
    expect(names).not.toContain("made while locked");
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
  });

  it("a statement past statement_timeout gives 503", async () => {
    const api = await apiWith({ statementTimeoutMs: 300, lockTimeoutMs: 10_000 });
    const locker = await otherConnection();
    try {
      await locker.query("begin");
      await locker.query("lock table api_keys in access exclusive mode");
      const started = Date.now();
      await expect503(await api("GET", "/v2/api-keys"));
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await locker.query("rollback");
      await locker.end();
    }
  });

  it("a backend terminated mid-request gives 503; the next request is served", async () => {
    const api = await apiWith({ lockTimeoutMs: 20_000, statementTimeoutMs: 30_000 });
    const locker = await otherConnection();
    const operator = await otherConnection();
    try {
      await locker.query("begin");
      await locker.query("lock table api_keys in access exclusive mode");
      const pending = api("POST", "/v2/api-keys", { name: "terminated" });
      // Wait for the request's backend to queue behind the lock, then end it.
      let terminated = 0;
      for (let tries = 0; terminated === 0 && tries < 2_000; tries++) {
        const { rows } = await operator.query<{ ended: boolean }>(
          `select pg_terminate_backend(pid) as ended from pg_stat_activity
            where datname = current_database() and application_name = 'keydesk' and wait_event_type = 'Lock'`,
        );
        terminated = rows.filter((r) => r.ended).length;
      }
      expect(terminated).toBe(1);
      await expect503(await pending);
    } finally {
      await locker.query("rollback");
      await locker.end();
      await operator.end();
    }
    const created = await api("POST", "/v2/api-keys", { name: "after the termination" });
    expect(created.status).toBe(201);
  });

  it("refused connections give 503; service comes back by itself when the database does", async () => {
    const api = await apiWith({ connectTimeoutMs: 1_000 });
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
    await proxy.down();
    try {
      for (const request of [
        () => api("GET", "/v2/me", undefined, adminKey),
        () => api("POST", "/v2/api-keys", { name: "made while down" }),
        () => api("POST", "/v2/sessions", { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
      ]) {
        await expect503(await request());
      }
    } finally {
      await proxy.up();
    }
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
  });

  it("PostgreSQL only (PGlite has no connections to refuse): a database not accepting connections (ALLOW_CONNECTIONS false, its backends terminated) gives 503 on create and on uncached verification; allowed again, service", async () => {
    // No verification cache here (apiWith passes none): each /v2/me reads the key from the database.
    const api = await apiWith({ connectTimeoutMs: 2_000 });
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
    // The operator works from another database: one cannot disallow connections to one's own.
    const operator = new pg.Client({ connectionString: base });
    await operator.connect();
    const name = new URL(scratch.url).pathname.slice(1);
    try {
      // Maintenance: nobody may connect, and the connections already open are ended.
      await operator.query(`alter database ${name} allow_connections false`);
      await operator.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [
        name,
      ]);
      // What every new connection gets now (SQLSTATE 55000, not a connection-exception code).
      const refused = new pg.Client({ connectionString: scratch.url });
      await expect(refused.connect()).rejects.toMatchObject({ code: "55000" });
      await refused.end().catch(() => undefined);

      for (const request of [
        () => api("GET", "/v2/me", undefined, adminKey),
        () => api("POST", "/v2/api-keys", { name: "made during maintenance" }),
        () => api("GET", "/v2/api-keys"),
        () => api("POST", "/v2/sessions", { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
      ]) {
        await expect503(await request());
      }
    } finally {
      await operator.query(`alter database ${name} allow_connections true`);
      await operator.end();
    }
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
    expect((await api("POST", "/v2/api-keys", { name: "after the maintenance" })).status).toBe(201);
  });

  it("PostgreSQL only: a database renamed away (3D000 on connect, in no list of codes) gives 503; renamed back, service", async () => {
    const api = await apiWith({ connectTimeoutMs: 2_000 });
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
    const operator = new pg.Client({ connectionString: base });
    await operator.connect();
    const name = new URL(scratch.url).pathname.slice(1);
    const renameFrom = async (from: string, to: string) => {
      // A database with sessions cannot be renamed: end them (the pools open new ones when they can).
      for (let tries = 0; tries < 50; tries++) {
        await operator.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [
          from,
        ]);
        const renamed = await operator.query(`alter database ${from} rename to ${to}`).then(
          () => true,
          (err: { code?: string }) => {
            if (err.code !== "55006") throw err; // object_in_use: a session came back in between
            return false;
          },
        );
        if (renamed) return;
      }
      throw new Error(`could not rename ${from}`);
    };
    await renameFrom(name, `${name}_away`);
    try {
      const refused = new pg.Client({ connectionString: scratch.url });
      await expect(refused.connect()).rejects.toMatchObject({ code: "3D000" });
      await refused.end().catch(() => undefined);
      await expect503(await api("GET", "/v2/me", undefined, adminKey));
      await expect503(await api("POST", "/v2/api-keys", { name: "made while away" }));
    } finally {
      await renameFrom(`${name}_away`, name);
      await operator.end();
    }
    expect((await api("GET", "/v2/me", undefined, adminKey)).status).toBe(200);
  });

  it("a full pool gives 503 after the connect timeout", async () => {
    const api = await apiWith({ poolSize: 1, connectTimeoutMs: 300, lockTimeoutMs: 3_000 });
    const locker = await otherConnection();
    try {
      await locker.query("begin");
      await locker.query("lock table api_keys in access exclusive mode");
      const answers = await Promise.all([
        api("GET", "/v2/api-keys"),
        api("GET", "/v2/api-keys"),
        api("GET", "/v2/api-keys"),
      ]);
      for (const res of answers) await expect503(res);
    } finally {
      await locker.query("rollback");
      await locker.end();
    }
  });

  it("backends terminated over and over during creates: no 500, and every key answered 201 works", async () => {
    const api = await apiWith({ poolSize: 4, lockTimeoutMs: 1_000, connectTimeoutMs: 1_000 });
    const operator = await otherConnection();
    const statuses: number[] = [];
    const keys: string[] = [];
    const create = async (name: string) => {
      const res = await api("POST", "/v2/api-keys", { name });
      statuses.push(res.status);
      if (res.status === 201) keys.push(((await res.json()) as ApiKeyCreatedJson).key);
    };
    const terminateBusy = async () => {
      const { rows } = await operator.query<{ ended: boolean }>(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
          where datname = current_database() and application_name = 'keydesk' and state <> 'idle'`,
      );
      return rows.filter((r) => r.ended).length;
    };
    let terminations = 0;
    try {
      // First a storm: every busy backend terminated as fast as the operator can.
      let storming = true;
      const storm = (async () => {
        while (storming) terminations += await terminateBusy();
      })();
      await Promise.all(
        Array.from({ length: 4 }, async (_, worker) => {
          for (let i = 0; i < 5; i++) await create(`storm ${worker}-${i}`);
        }),
      );
      storming = false;
      await storm;

      // Then one burst after each answered create, hitting whatever the other workers have in
      // flight at that moment: some creates fail, most go through.
      let creating = true;
      let answered: () => void = () => undefined;
      const bursts = (async () => {
        while (creating) {
          await new Promise<void>((resolve) => (answered = resolve));
          terminations += await terminateBusy();
        }
      })();
      await Promise.all(
        Array.from({ length: 4 }, async (_, worker) => {
          for (let i = 0; i < 10; i++) {
            await create(`churn ${worker}-${i}`);
            answered();
          }
        }),
      );
      creating = false;
      answered();
      await bursts;
    } finally {
      await operator.end();
    }
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(terminations).toBeGreaterThan(0);
    expect(keys.length).toBeGreaterThan(0);
    // The pool recovers by itself: a backend terminated a moment ago may still fail one request
    // (PostgreSQL acts on the signal when it gets to it), but within a pool's worth of requests
    // service is back, and stays back.
    const answers: number[] = [];
    for (let i = 0; i < 12 && answers.slice(-4).join() !== "201,201,201,201"; i++) {
      answers.push((await api("POST", "/v2/api-keys", { name: `after the churn ${i}` })).status);
    }
    expect(answers.slice(-4)).toEqual([201, 201, 201, 201]);
    expect(answers.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    // Every key answered 201 was committed: each one verifies, through a pool of its own.
    const fresh = await apiWith({});
    for (const key of keys) {
      expect((await fresh("GET", "/v2/me", undefined, key)).status).toBe(200);
    }
  });
});
