/**
 * /healthz and /readyz through the real HTTP server (createKeydeskServer) over a real database:
 * answered before the API and the pages, no cookies, never cached; readiness fails when a shipped
 * migration is missing, before the database is open, and — PostgreSQL, below — within its bound when
 * the database does not answer. (PostgreSQL refusing connections, through server.ts: see
 * tests/database-maintenance.test.ts.)
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabaseHandle } from "../testing/test-databases";
import { createKeydeskServer } from "./http-server";
import { healthHandler, readinessCheck, type Readiness } from "./health";

async function serve(ready: () => (() => Promise<Readiness>) | null) {
  const elsewhere = (label: string) => (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(418, { "set-cookie": "x=1" });
    res.end(label);
  };
  const server = createKeydeskServer({
    api: elsewhere("api"),
    pages: elsewhere("pages"),
    health: healthHandler(ready),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe.each(testDatabases())("health and readiness ($name)", (database) => {
  let handle: TestDatabaseHandle;
  let server: Server;
  let base: string;
  let check: (() => Promise<Readiness>) | null = null;

  beforeAll(async () => {
    handle = await database.open();
    ({ server, base } = await serve(() => check));
  });
  afterAll(async () => {
    await close(server);
    await handle.close();
  });
  afterEach(() => {
    check = null;
  });

  it("/healthz is 200 {status: ok}, uncached, without cookies, before and after the database opens", async () => {
    for (const ready of [null, readinessCheck(handle.db)]) {
      check = ready;
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("/readyz is 200 with both checks ok on a migrated database; a query string changes nothing", async () => {
    check = readinessCheck(handle.db);
    const res = await fetch(`${base}/readyz?verbose=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.json()).toEqual({ status: "ok", checks: { database: "ok", migrations: "ok" } });
    const head = await fetch(`${base}/readyz`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("/readyz is 503 while the database is not open yet", async () => {
    check = null;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "fail", checks: { database: "fail", migrations: "unknown" } });
  });

  it("/readyz is 503 with migrations fail when a migration this build ships is missing", async () => {
    check = readinessCheck(handle.db);
    // The newest migration unrecorded, as in a database restored from an older backup.
    await handle.db.execute(
      sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
    );
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "fail", checks: { database: "ok", migrations: "fail" } });
  });

  it("other methods are 405 with Allow; other paths go on to the pages and the API", async () => {
    const res = await fetch(`${base}/readyz`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(await (await fetch(`${base}/healthzz`)).text()).toBe("pages");
    expect(await (await fetch(`${base}/v2/healthz`)).text()).toBe("api");
  });
});

const pgBase = process.env.TEST_DATABASE_URL;

describe.runIf(pgBase)("readiness when PostgreSQL does not answer (PostgreSQL only)", () => {
  it("answers 503 within its bound while a lock holds the migrations table, 200 once it is released", async () => {
    const postgres = testDatabases().find((d) => d.name === "postgres");
    if (!postgres) throw new Error("TEST_DATABASE_URL is set, so testDatabases() has PostgreSQL");
    const handle = await postgres.open();
    const { server, base } = await serve(() => readinessCheck(handle.db, 300));
    const holder = new pg.Client({ connectionString: handle.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table drizzle.__drizzle_migrations in access exclusive mode");
      const started = performance.now();
      const res = await fetch(`${base}/readyz`);
      const took = performance.now() - started;
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: "fail",
        checks: { database: "fail", migrations: "unknown" },
      });
      expect(took).toBeLessThan(2_000);
      await holder.query("rollback");
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      await holder.end();
      await close(server);
      await handle.close();
    }
  });
});
