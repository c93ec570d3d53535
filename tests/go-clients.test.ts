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
import { GO_API_KEYS_FLOWS as GO_VERSIONS } from "../lib/testing/client-matrix";
import { goClientProgram } from "../lib/testing/go-clients";
import { demoFlowEnvironment, expectSuccess, withoutArizeVariables } from "../lib/testing/client-runs";
import { run } from "../lib/testing/python-clients";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { testDatabases, type TestDatabaseHandle } from "../lib/testing/test-databases";

const FLOW = path.join(REPO_ROOT, "tests", "clients", "go_flow");

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

  beforeAll(async () => {
    handle = await database.open();
    server = await spawnServer({ env: { DATABASE_URL: handle.url, KEYDESK_DEMO: "1" } });
    Object.assign(env, await demoFlowEnvironment(server.baseUrl, "go matrix"));
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
