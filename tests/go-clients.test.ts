/**
 * Issue 21: Arize's Go client (github.com/Arize-ai/client-go-v2) in the client matrix. One version per
 * wire generation (v0.11 A, v0.16 B, v0.18 C, v0.22 D) runs the api-keys flow of
 * tests/clients/go_flow (the Go twin of python_flow.py) against server.ts spawned with the demo
 * directory, on PGlite and on the PostgreSQL of TEST_DATABASE_URL. Each version is built once per run
 * and cached between runs (lib/testing/go-clients.ts); a missing Go toolchain fails, never skips.
 * Every mismatch is fixed in the server (lib/api/dialect.ts), never here.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Me } from "../lib/schemas/directory";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { GO_API_KEYS_FLOWS as GO_VERSIONS } from "../lib/testing/client-matrix";
import { goClientProgram } from "../lib/testing/go-clients";
import { run, scrubKeys, type RunResult } from "../lib/testing/python-clients";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { testDatabases, type TestDatabaseHandle } from "../lib/testing/test-databases";

const FLOW = path.join(REPO_ROOT, "tests", "clients", "go_flow");

/** Fails with the program's output (keys scrubbed) unless it exited 0. */
function expectSuccess(what: string, result: RunResult) {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}\n--- stdout\n${scrubKeys(result.stdout)}\n--- stderr\n${scrubKeys(result.stderr)}`,
    );
  }
}

/** This process's environment without any ARIZE_* variable: some of them overwrite the client's host. */
function withoutArizeVariables(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("ARIZE_")) delete env[name];
  return env;
}

const binaries = new Map<string, string>();

beforeAll(async () => {
  // Built one after the other (2 cores); cached builds answer at once.
  for (const { version, tags } of GO_VERSIONS)
    binaries.set(version, await goClientProgram(FLOW, version, { tags }));
}, 1_200_000);

describe.each(testDatabases())("Arize's Go client (client-go-v2), api-keys flow ($name)", (database) => {
  let handle: TestDatabaseHandle | undefined;
  let server: SpawnedServer | undefined;
  const env: Record<string, string> = {};

  async function http(method: string, urlPath: string, credential?: string, body?: unknown) {
    const headers: Record<string, string> = {};
    if (credential) headers.authorization = `Bearer ${credential}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch((server?.baseUrl ?? "") + urlPath, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function keyOf(user: "admin" | "member") {
    const session = await http("POST", "/v2/sessions", undefined, {
      email: DEMO_USERS[user].email,
      password: DEMO_PASSWORD,
    });
    expect(session.status).toBe(201);
    const token = (session.json as { token: string }).token;
    const created = await http("POST", "/v2/api-keys", token, { name: `go matrix key of ${user}` });
    expect(created.status).toBe(201);
    return { token, key: created.json as { key: string; created_by_user_id: string } };
  }

  beforeAll(async () => {
    handle = await database.open();
    server = await spawnServer({ env: { DATABASE_URL: handle.url, KEYDESK_DEMO: "1" } });
    const ada = await keyOf("admin");
    const max = await keyOf("member");
    const me = (await http("GET", "/v2/me", ada.token)).json as Me;
    Object.assign(env, {
      KEYDESK_URL: server.baseUrl,
      KEYDESK_ADMIN_KEY: ada.key.key,
      KEYDESK_MEMBER_KEY: max.key.key,
      KEYDESK_ADMIN_USER_ID: ada.key.created_by_user_id,
    });
    for (const organization of me.organizations) {
      env[`KEYDESK_${organization.name.toUpperCase()}_ID`] = organization.id;
      for (const space of organization.spaces) env[`KEYDESK_${space.name.toUpperCase()}_ID`] = space.id;
    }
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await handle?.close();
  });

  it.each(GO_VERSIONS)(
    "client-go-v2 v$version (generation $generation): user key, list with every filter, service keys by space id and name, refresh with grace, revoke → every secret dies, 401/403/404/above-cap typed errors",
    async ({ version, generation, checks }) => {
      const binary = binaries.get(version);
      if (!binary) throw new Error(`client-go-v2 v${version} was not built`);
      const result = await run(binary, [], {
        env: { ...withoutArizeVariables(), ...env },
        timeoutMs: 240_000,
      });
      expectSuccess(`client-go-v2 v${version}`, result);
      const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as {
        version?: string;
        generation?: string;
        checks?: number;
      };
      expect(summary).toEqual({ version, generation, checks });
      // Nothing printed a key.
      expect(result.stdout + result.stderr).not.toMatch(/ak-[A-Za-z0-9_-]{60,}/);
    },
    300_000,
  );
});
