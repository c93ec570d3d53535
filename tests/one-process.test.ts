/**
 * Two real server processes. One embedded database belongs to one process: a second one on the same
 * directory once started too, and keys answered 201 by one were lost. And a server that cannot bind
 * its port must say so and exit, on either database, instead of running on without a socket.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { LOCK_FILE } from "../lib/db/embedded-lock";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";
import { spawnFailingServer, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

const startServer = (env: Record<string, string>) => spawnServer({ env, timeoutMs: 200_000 });

async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v2/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function createKey(baseUrl: string, token: string, name: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v2/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

describe("one process per embedded database", { timeout: 300_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "keydesk-lock-"));
  const servers: SpawnedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  let firstKey: string | undefined;

  it("a second process on the same directory exits non-zero within 10 s, naming the directory and the holder", async () => {
    const first = await startServer({ DATABASE_URL: `pglite:${dataDir}` });
    servers.push(first);
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), "utf8"))).toMatchObject({ pid: first.pid });
    firstKey = await createKey(first.baseUrl, await signIn(first.baseUrl), "made by the first process");

    const second = await spawnFailingServer({ env: { DATABASE_URL: `pglite:${dataDir}` } });
    expect(second.code, second.output).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.elapsedMs).toBeLessThan(10_000);
    expect(second.output).toContain(dataDir);
    expect(second.output).toContain(`pid ${first.pid}`);

    // The first process is untouched and still owns the directory.
    const me = await fetch(`${first.baseUrl}/v2/me`, { headers: { authorization: `Bearer ${firstKey}` } });
    expect(me.status).toBe(200);
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), "utf8"))).toMatchObject({ pid: first.pid });
  });

  it("a lock left by a killed process is taken over, and the data is there", async () => {
    const first = servers[0];
    if (!first || !firstKey) throw new Error("the first test did not complete");
    process.kill(first.pid, "SIGKILL");
    await first.stop();
    // The killed process could not remove its lock.
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);

    const next = await startServer({ DATABASE_URL: `pglite:${dataDir}` });
    servers.push(next);
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), "utf8"))).toMatchObject({ pid: next.pid });
    const me = await fetch(`${next.baseUrl}/v2/me`, { headers: { authorization: `Bearer ${firstKey}` } });
    expect(me.status).toBe(200);

    // A clean stop removes the lock.
    expect(await next.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });
});

describe("a port that cannot be bound", { timeout: 300_000 }, () => {
  let holder: SpawnedServer | undefined;
  let postgres: TestDatabaseHandle | undefined;
  afterAll(async () => {
    await holder?.stop();
    await postgres?.close();
  });

  const busyPort = async () => {
    holder ??= await startServer({ DATABASE_URL: "pglite:memory" });
    return new URL(holder.baseUrl).port;
  };

  it("on the embedded database: exits non-zero within 10 s, naming the port", async () => {
    const port = await busyPort();
    const result = await spawnFailingServer({ env: { DATABASE_URL: "pglite:memory", PORT: port } });
    expect(result.code, result.output).toBe(1);
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.output).toMatch(new RegExp(`port ${port}\\b.*in use`));
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "on PostgreSQL: exits non-zero within 10 s, naming the port",
    async () => {
      const port = await busyPort();
      postgres = await openScratchPostgres(process.env.TEST_DATABASE_URL ?? "");
      const result = await spawnFailingServer({ env: { DATABASE_URL: postgres.url, PORT: port } });
      expect(result.code, result.output).toBe(1);
      expect(result.elapsedMs).toBeLessThan(10_000);
      expect(result.output).toMatch(new RegExp(`port ${port}\\b.*in use`));
    },
  );
});
