/**
 * The real server.ts over real HTTP: one process serving the keys API and the pages, on an embedded
 * database in a temporary directory, stopped with SIGTERM and started again on the same data.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db/client";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { accounts, users } from "../lib/db/schema";
import type { Me } from "../lib/schemas/directory";
import { serverMode, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

const MODE = serverMode();
const startServer = (env: Record<string, string>) => spawnServer({ env, timeoutMs: 200_000 });

async function signIn(baseUrl: string, email: string) {
  const res = await fetch(`${baseUrl}/v2/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { token: string; user: { id: string } };
}

async function me(baseUrl: string, token: string) {
  return fetch(`${baseUrl}/v2/me`, { headers: { authorization: `Bearer ${token}` } });
}

describe(`server.ts over HTTP (${MODE} mode)`, { timeout: 240_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "keydesk-server-"));
  const env = { DATABASE_URL: `pglite:${dataDir}`, KEYDESK_DEMO: "", METRICS_PORT: "0" };
  let firstRun: { token: string; maxId: string } | undefined;

  const servers: SpawnedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts on a fresh data dir with the demo directory, serves /v2 and pages, and stops on SIGTERM", async () => {
    const server = await startServer(env);
    servers.push(server);
    try {
      expect(server.output()).toMatch(/Created the demo directory/);
      expect(server.output()).toContain(`(${MODE},`);

      const { token, user } = await signIn(server.baseUrl, DEMO_USERS.member.email);
      const res = await me(server.baseUrl, token);
      expect(res.status, server.output()).toBe(200);
      // Over real HTTP, the answer a verification gets is JSON that is never stored.
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as Me;
      expect(body.user).toMatchObject({ name: "Max Member", email: "member@example.com", kind: "human" });
      expect(body.account_role).toBe("member");
      expect(
        body.organizations.map((o) => [o.name, o.role, o.spaces.map((s) => `${s.name}:${s.role}`)]),
      ).toEqual([
        ["Platform", "member", ["Production:member", "Staging:admin"]],
        ["Research", "read-only", ["Experiments:read-only"]],
      ]);
      firstRun = { token, maxId: user.id };

      const home = await fetch(`${server.baseUrl}/`);
      expect(home.status, server.output()).toBe(200);
      expect(home.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await home.text()).toMatch(/href="\/login"/);

      const unknown = await fetch(`${server.baseUrl}/v2/nope`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get("content-type")).toMatch(/^application\/problem\+json/);

      // Health and metrics: the probes on the main port, metrics only on their own loopback listener.
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${server.baseUrl}/readyz`)).json()).toMatchObject({ status: "ok" });
      const metricsUrl = /Metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(server.output())?.[1];
      expect(metricsUrl, server.output()).toBeDefined();
      const text = await (await fetch(metricsUrl ?? "")).text();
      expect(text).toMatch(/^keydesk_http_requests_total\{method="GET",route="\/v2\/me",status="200"\} 1$/m);
      expect(text).toMatch(
        /^keydesk_http_requests_total\{method="GET",route="\(pages\)",status="200"\} \d+$/m,
      );
      expect(text).toMatch(
        /^keydesk_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1$/m,
      );
      const notHere = await fetch(`${server.baseUrl}/metrics`);
      expect(await notHere.text()).not.toContain("keydesk_http_requests_total");
    } finally {
      const code = await server.stop();
      expect(code).toBe(0);
    }
    expect(server.output()).toMatch(/SIGTERM: shutting down/);
    // Neither the password nor the session token is ever logged.
    expect(server.output()).not.toContain(DEMO_PASSWORD);
    expect(server.output()).not.toContain(firstRun.token);
  });

  it("starts again on the same data dir without re-seeding; data and sessions survive", async () => {
    if (!firstRun) throw new Error("the first run did not complete");
    const server = await startServer(env);
    servers.push(server);
    try {
      expect(server.output()).not.toMatch(/Created the demo directory/);
      // The session from the first run is still valid: the data was kept, not recreated.
      expect((await me(server.baseUrl, firstRun.token)).status).toBe(200);
      const again = await signIn(server.baseUrl, DEMO_USERS.member.email);
      expect(again.user.id).toBe(firstRun.maxId);
      await signIn(server.baseUrl, DEMO_USERS.admin.email);
    } finally {
      expect(await server.stop()).toBe(0);
    }

    // The server has exited, so this process may open the embedded database itself.
    const handle = await openDatabase({ kind: "pglite", dataDir });
    try {
      const [a] = await handle.db.select({ n: count() }).from(accounts);
      const [u] = await handle.db.select({ n: count() }).from(users);
      expect({ accounts: a?.n, users: u?.n }).toEqual({ accounts: 1, users: 3 });
    } finally {
      await handle.close();
    }
  });
});
