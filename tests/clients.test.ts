/**
 * The seeds' own clients against a real Keydesk (issue 13): Arize's Python SDK `arize` in one version
 * per wire generation plus the newest on PyPI, and the newest `ax` CLI (`arize-ax-cli`), each in its
 * own virtual environment (lib/testing/python-clients.ts), against server.ts spawned with the demo
 * directory: the SDK's api-keys flow on PGlite and on the PostgreSQL of TEST_DATABASE_URL, the
 * webhooks flow and the CLI on PGlite. Each does the api-keys flow of the issue; every mismatch is
 * fixed in the server (lib/api/dialect.ts), never here.
 *
 * The Go client (github.com/Arize-ai/client-go-v2) runs the same flow in tests/go-clients.test.ts, and
 * the newest clients' directory operations in tests/newest-clients-directory.test.ts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_PATTERN } from "../lib/keys/secrets";
import type { Me } from "../lib/schemas/directory";
import { demoFlowEnvironment, expectSuccess, jsonHttp } from "../lib/testing/client-runs";
import { newestOnPyPI, pythonEnv, run } from "../lib/testing/python-clients";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { testDatabases, type TestDatabaseHandle } from "../lib/testing/test-databases";

/** One version per wire generation (arize-api-notes.md §0), then the newest. */
const PYTHON_SDK_VERSIONS = ["8.31.0", "8.39.0", "8.40.0", "8.42.0"];
const FLOW = path.join(REPO_ROOT, "tests", "clients", "python_flow.py");
/** Each `ax` command starts a Python process that imports the whole SDK: seconds apiece on 2 cores. */
const CLI_TIMEOUT = 600_000;

let server: SpawnedServer | undefined;
let baseUrl = "";
let env: Record<string, string> = {};

const http = jsonHttp(() => baseUrl);

beforeAll(async () => {
  server = await spawnServer({
    env: {
      DATABASE_URL: "pglite:memory",
      // The webhooks flow's receiver listens on loopback over http.
      KEYDESK_WEBHOOK_ALLOW_HTTP: "1",
      KEYDESK_WEBHOOK_ALLOW_PRIVATE: "1",
    },
  });
  baseUrl = server.baseUrl;
  env = await demoFlowEnvironment(baseUrl, "client matrix");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe.each(testDatabases())("Arize's Python SDK (arize), api-keys flow ($name)", (database) => {
  let handle: TestDatabaseHandle | undefined;
  let own: SpawnedServer | undefined;
  let flowEnv: Record<string, string> = {};

  beforeAll(async () => {
    handle = await database.open();
    own = await spawnServer({ env: { DATABASE_URL: handle.url, KEYDESK_DEMO: "1" } });
    flowEnv = await demoFlowEnvironment(own.baseUrl, "client matrix");
  }, 300_000);

  afterAll(async () => {
    await own?.stop();
    await handle?.close();
  });

  const versions = [...PYTHON_SDK_VERSIONS.map((v) => () => Promise.resolve(v)), () => newestOnPyPI("arize")];

  it.each(
    versions.map((version, i) => [i === versions.length - 1 ? "newest" : PYTHON_SDK_VERSIONS[i], version]),
  )(
    "arize %s: user key, list with every filter, service keys by space id and name, refresh with grace, revoke/delete, 401/403/404/above-cap errors",
    async (_label, versionOf) => {
      const version = await versionOf();
      const venv = await pythonEnv("arize", version);
      const result = await run(path.join(venv, "bin", "python"), [FLOW], {
        env: { ...process.env, ...flowEnv, PYTHONDONTWRITEBYTECODE: "1" },
        timeoutMs: 240_000,
      });
      expectSuccess(`arize ${version}`, result);
      const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as {
        version?: string;
        checks?: number;
      };
      expect(summary.version).toBe(version);
      expect(summary.checks).toBeGreaterThanOrEqual(37);
      // Nothing printed a key.
      expect(result.stdout + result.stderr).not.toMatch(/ak-[A-Za-z0-9_-]{60,}/);
    },
    900_000,
  );
});

describe("Arize's Python SDK 8.61 webhooks (client.webhooks)", () => {
  it("create (HMAC and BEARER), get by name, list, update, test with its signature verified, delivery attempts, 403, delete", async () => {
    const venv = await pythonEnv("arize", "8.61.0");
    const result = await run(
      path.join(venv, "bin", "python"),
      [path.join(REPO_ROOT, "tests", "clients", "python_webhooks.py")],
      { env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: "1" }, timeoutMs: 240_000 },
    );
    expectSuccess("arize 8.61.0 webhooks", result);
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as { checks?: number };
    expect(summary.checks).toBe(21);
    expect(result.stdout + result.stderr).not.toMatch(/whsec_[A-Za-z0-9_-]{20,}/);
  }, 300_000);
});

describe("the ax CLI (arize-ax-cli, newest)", () => {
  let ax = "";
  let home = "";
  let cliEnv: NodeJS.ProcessEnv = process.env;

  beforeAll(async () => {
    const version = await newestOnPyPI("arize-ax-cli");
    ax = path.join(await pythonEnv("arize-ax-cli", version), "bin", "ax");
    // Configured as its documentation says: a profile made from a TOML file, here with Keydesk's
    // address; the key stays in the environment (`${ARIZE_API_KEY}`), out of the profile file.
    home = await mkdtemp(path.join(os.tmpdir(), "keydesk-ax-cli-"));
    const url = new URL(baseUrl);
    const profile = path.join(home, "keydesk.toml");
    await writeFile(
      profile,
      [
        "[auth]",
        'auth_method = "api-key"',
        'api_key = "${ARIZE_API_KEY}"',
        "",
        "[routing]",
        `api_host = "${url.host}"`,
        `api_scheme = "${url.protocol.replace(":", "")}"`,
        "",
      ].join("\n"),
    );
    cliEnv = {
      ...process.env,
      HOME: home,
      ARIZE_API_KEY: env.KEYDESK_ADMIN_KEY,
      COLUMNS: "200",
      NO_COLOR: "1",
    };
    expectSuccess(
      "ax profiles create",
      await run(ax, ["profiles", "create", "keydesk", "--from-file", profile], { env: cliEnv }),
    );
  }, 900_000);

  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function axJson<T>(args: string[], extraEnv: Record<string, string> = {}): Promise<T> {
    const result = await run(ax, [...args, "-o", "json"], { env: { ...cliEnv, ...extraEnv } });
    expectSuccess(`ax ${args.slice(0, 2).join(" ")}`, result);
    const start = result.stdout.indexOf("{");
    return JSON.parse(result.stdout.slice(start)) as T;
  }

  interface CliKey {
    id: string;
    key?: string;
    key_type: string;
    status: string;
    expires_at?: string;
    bot_user?: { organizations: { spaces: { space_id: string }[] }[] };
  }
  /** The CLI prints generation D's oneOf list items with their wrapper. */
  type CliListItem = CliKey | { actual_instance: CliKey };
  const item = (k: CliListItem): CliKey => ("actual_instance" in k ? k.actual_instance : k);
  const listIds = async (args: string[]) =>
    (await axJson<{ api_keys: CliListItem[] }>(["api-keys", "list", ...args])).api_keys.map((k) => item(k));
  const meStatus = async (key: string) => (await http("GET", "/v2/me", key)).status;

  it(
    "api-keys create (user), list with filters, refresh with grace, revoke; output checked",
    async () => {
      const created = await axJson<CliKey>([
        "api-keys",
        "create",
        "--name",
        "ax cli user key",
        "--expires-at",
        new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 19),
      ]);
      expect(created.key).toMatch(KEY_PATTERN);
      expect(created).toMatchObject({ key_type: "USER", status: "ACTIVE" });
      expect(await meStatus(created.key ?? "")).toBe(200);

      expect((await listIds([])).map((k) => k.id)).toContain(created.id);
      expect(
        (await listIds(["--key-type", "USER", "--status", "ACTIVE", "--limit", "100"])).map((k) => k.id),
      ).toContain(created.id);

      const sooner = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 19);
      const refreshed = await axJson<CliKey>([
        "api-keys",
        "refresh",
        created.id,
        "--grace-period-seconds",
        "600",
        "--expires-at",
        sooner,
      ]);
      expect(refreshed.id).toBe(created.id);
      expect(refreshed.key).toMatch(KEY_PATTERN);
      expect(refreshed.key).not.toBe(created.key);
      expect(await meStatus(created.key ?? "")).toBe(200);
      expect(await meStatus(refreshed.key ?? "")).toBe(200);

      const revoked = await run(ax, ["api-keys", "revoke", created.id, "--force"], { env: cliEnv });
      expectSuccess("ax api-keys revoke", revoked);
      expect(await meStatus(refreshed.key ?? "")).toBe(401);
      expect(await meStatus(created.key ?? "")).toBe(401);
      const gone = (await listIds(["--status", "REVOKED", "--limit", "100"])).find(
        (k) => k.id === created.id,
      );
      expect(gone?.status).toBe("REVOKED");
    },
    CLI_TIMEOUT,
  );

  it(
    "api-keys create-service-key with --assignments, spaces by id and by name",
    async () => {
      const assignments = JSON.stringify([
        {
          org_id: env.KEYDESK_PLATFORM_ID,
          role: "MEMBER",
          spaces: [
            { space: env.KEYDESK_PRODUCTION_ID, role: "ADMIN" },
            { space: "Staging", role: "READ_ONLY" },
          ],
        },
      ]);
      const created = await axJson<CliKey>([
        "api-keys",
        "create-service-key",
        "--name",
        "ax cli service key",
        "--assignments",
        assignments,
      ]);
      expect(created).toMatchObject({ key_type: "SERVICE", status: "ACTIVE" });
      expect(created.bot_user?.organizations[0]?.spaces.map((s) => s.space_id)).toEqual([
        env.KEYDESK_PRODUCTION_ID,
        env.KEYDESK_STAGING_ID,
      ]);
      const bot = (await http<Me>("GET", "/v2/me", created.key)).json;
      const platform = bot.organizations.find((o) => o.name === "Platform");
      expect(platform?.role).toBe("member");
      expect(platform?.spaces.map((s) => [s.name, s.role])).toEqual([
        ["Production", "admin"],
        ["Staging", "read-only"],
      ]);
      const service = await listIds(["--key-type", "SERVICE", "--limit", "100"]);
      expect(service.map((k) => k.id)).toContain(created.id);

      // Max is a member of Production: an ADMIN role there is above his own, and the CLI says so.
      const refused = await run(
        ax,
        [
          "api-keys",
          "create-service-key",
          "--name",
          "too strong",
          "--assignments",
          JSON.stringify([
            { org_id: env.KEYDESK_PLATFORM_ID, spaces: [{ space: "Production", role: "ADMIN" }] },
          ]),
        ],
        { env: { ...cliEnv, ARIZE_API_KEY: env.KEYDESK_MEMBER_KEY } },
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(/422|Unprocessable/i);
      expect(refused.stdout + refused.stderr).toMatch(/space_role/);
    },
    CLI_TIMEOUT,
  );
});
