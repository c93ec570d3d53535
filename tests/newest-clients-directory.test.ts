/**
 * Issue 21: the directory through the newest Python and Go clients (arize 8.61, client-go-v2 v0.22),
 * as tests/directory-client.test.ts does it for TypeScript 1.28: server.ts started with KEYDESK_DEMO=0,
 * set up through the link it prints, then each client's own program (tests/clients/python_directory.py,
 * tests/clients/go_directory) manages users, organizations, spaces, memberships, roles and audit logs
 * with names of its own — on PGlite and, with TEST_DATABASE_URL, PostgreSQL. Every mismatch is fixed in
 * the server (lib/api/dialect.ts), never in a client.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NEWEST_DIRECTORY_FLOWS } from "../lib/testing/client-matrix";
import { goClientProgram } from "../lib/testing/go-clients";
import {
  emptyDirectoryTargets,
  expectSuccess,
  jsonHttp,
  withoutArizeVariables,
} from "../lib/testing/client-runs";
import { newestOnPyPI, pythonEnv, run, type RunResult } from "../lib/testing/python-clients";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

const { python: PYTHON, go: GO } = NEWEST_DIRECTORY_FLOWS;
const PYTHON_VERSION = PYTHON.version;
const GO_VERSION = GO.version;
const CLIENT_TIMEOUT = 600_000;

const targets = emptyDirectoryTargets("keydesk-newest");

/** The JSON summary a flow prints on its last line. */
function summaryOf(result: RunResult): { version?: string; checks?: number } {
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as { version?: string; checks?: number };
}

let python = "";
let goDirectory = "";
let ax = "";

beforeAll(async () => {
  python = path.join(await pythonEnv("arize", PYTHON_VERSION), "bin", "python");
  ax = path.join(await pythonEnv("arize-ax-cli", await newestOnPyPI("arize-ax-cli")), "bin", "ax");
  goDirectory = await goClientProgram(path.join(REPO_ROOT, "tests", "clients", "go_directory"), GO_VERSION);
}, 1_200_000);

describe.each(targets)(
  "the newest Python and Go clients manage the directory ($name, KEYDESK_DEMO=0)",
  (target) => {
    let server: SpawnedServer | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const env: Record<string, string> = {};

    const http = jsonHttp(() => server?.baseUrl ?? "");

    beforeAll(async () => {
      const started = await target.start();
      cleanup = started.cleanup;
      const running = await spawnServer({ env: started.env });
      server = running;
      // First run: the one-time link the server prints, then the first admin's own API key.
      const token = await vi.waitFor(
        () => {
          const match = /Set up Keydesk: http:\/\/\S+\/setup\?token=([A-Za-z0-9_-]+)/.exec(running.output());
          if (!match?.[1]) throw new Error("no setup line yet");
          return match[1];
        },
        { timeout: 20_000, interval: 50 },
      );
      const done = await http("POST", "/v2/setup", undefined, {
        account_name: "Initech",
        name: "Ada Admin",
        email: "ada@initech.example",
        password: "correct horse battery",
        token,
      });
      expect(done.status).toBe(201);
      const session = done.json as { token: string; user: { id: string } };
      const key = await http("POST", "/v2/api-keys", session.token, { name: "directory automation" });
      expect(key.status).toBe(201);
      Object.assign(env, {
        KEYDESK_URL: running.baseUrl,
        KEYDESK_ADMIN_KEY: String(key.json.key),
        KEYDESK_ADMIN_USER_ID: session.user.id,
      });
    }, 300_000);

    afterAll(async () => {
      await server?.stop();
      await cleanup?.();
    });

    it(
      `arize ${PYTHON_VERSION}: organizations, spaces (is_private), users in each invite mode, memberships, roles, service keys listed with bot_user, audit logs by operation_name, 422 for custom roles and role bindings`,
      async () => {
        const result = await run(python, [path.join(REPO_ROOT, "tests", "clients", "python_directory.py")], {
          env: { ...withoutArizeVariables(), ...env, KEYDESK_PREFIX: "Py", PYTHONDONTWRITEBYTECODE: "1" },
          timeoutMs: CLIENT_TIMEOUT,
        });
        expectSuccess(`arize ${PYTHON_VERSION} directory`, result);
        expect(summaryOf(result)).toEqual({ version: PYTHON_VERSION, checks: PYTHON.checks });
        expect(result.stdout + result.stderr).not.toMatch(/ak-[A-Za-z0-9_-]{60,}/);
      },
      CLIENT_TIMEOUT,
    );

    it(
      `client-go-v2 v${GO_VERSION}: organizations, spaces (a private space reads back private), users in each invite mode, memberships, roles, audit logs, 422 for custom roles and role bindings`,
      async () => {
        const result = await run(goDirectory, [], {
          env: { ...withoutArizeVariables(), ...env, KEYDESK_PREFIX: "Go" },
          timeoutMs: CLIENT_TIMEOUT,
        });
        expectSuccess(`client-go-v2 v${GO_VERSION} directory`, result);
        expect(summaryOf(result)).toEqual({ version: GO_VERSION, checks: GO.checks });
        expect(result.stdout + result.stderr).not.toMatch(/ak-[A-Za-z0-9_-]{60,}/);
      },
      CLIENT_TIMEOUT,
    );

    it(
      "the ax CLI (newest): organizations, spaces by name, users in two invite modes, memberships with roles, roles, deletes through its directory commands; a custom role is a 422 that says not supported",
      async () => {
        const url = new URL(env.KEYDESK_URL ?? "");
        const home = await mkdtemp(path.join(os.tmpdir(), "keydesk-ax-dir-"));
        try {
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
          const cliEnv = {
            ...withoutArizeVariables(),
            HOME: home,
            ARIZE_API_KEY: env.KEYDESK_ADMIN_KEY,
            COLUMNS: "200",
            NO_COLOR: "1",
          };
          const axRun = (args: string[]) => run(ax, args, { env: cliEnv, timeoutMs: CLIENT_TIMEOUT });
          const axJson = async <T>(args: string[]): Promise<T> => {
            const result = await axRun([...args, "-o", "json"]);
            expectSuccess(`ax ${args.slice(0, 2).join(" ")}`, result);
            return JSON.parse(result.stdout.slice(result.stdout.search(/^[[{]/m))) as T;
          };
          const role = (value: unknown): string => {
            const inner = (value as { actual_instance?: unknown } | undefined)?.actual_instance ?? value;
            return (inner as { name?: string } | undefined)?.name ?? String(inner);
          };
          expectSuccess(
            "ax profiles create",
            await axRun(["profiles", "create", "keydesk", "--from-file", profile]),
          );

          interface Named {
            id: string;
            name: string;
            description?: string;
          }
          // Each `ax` run starts a Python that imports the whole SDK (seconds apiece): one command per
          // operation, the rest of each resource is the Python SDK's flow above (the CLI runs it).
          const org = await axJson<Named>(["organizations", "create", "--name", "Ax Engineering"]);
          expect(org.name).toBe("Ax Engineering");
          const space = await axJson<Named>([
            "spaces",
            "create",
            "--name",
            "Ax Prod",
            "--organization-id",
            org.id,
          ]);
          expect(space.name).toBe("Ax Prod");
          // By name: the CLI resolves it through GET /v2/spaces?name=….
          expect((await axJson<Named>(["spaces", "get", "Ax Prod"])).id).toBe(space.id);

          interface User {
            id: string;
            email: string;
            status: string;
            role: unknown;
          }
          const temp = await axJson<User>(
            ["users", "create", "--full-name", "Tess Temp", "--email", "tess@ax.initech.example"].concat([
              "--role",
              "MEMBER",
              "--invite-mode",
              "TEMPORARY_PASSWORD",
            ]),
          );
          expect(temp.status).toBe("INVITED");
          expect(role(temp.role)).toBe("MEMBER");
          const dee = await axJson<User>(
            ["users", "create", "--full-name", "Dee Direct", "--email", "dee@ax.initech.example"].concat([
              "--role",
              "MEMBER",
              "--invite-mode",
              "NONE",
            ]),
          );
          expect(dee.status).toBe("ACTIVE");
          const invited = await axJson<{ users: User[] }>([
            "users",
            "list",
            "--email",
            "ax.initech",
            "--status",
            "INVITED",
          ]);
          expect(invited.users.map((u) => u.email)).toEqual(["tess@ax.initech.example"]);

          const member = await axJson<{ user_id: string; role: unknown }>([
            "organizations",
            "add-user",
            org.id,
            "--user-id",
            dee.id,
            "--role",
            "MEMBER",
          ]);
          expect(member.user_id).toBe(dee.id);
          expect(role(member.role)).toBe("MEMBER");
          const inSpace = await axJson<{ space_id: string; role: unknown }>([
            "spaces",
            "add-user",
            "Ax Prod",
            "--user-id",
            dee.id,
            "--role",
            "ADMIN",
          ]);
          expect(inSpace.space_id).toBe(space.id);
          expect(role(inSpace.role)).toBe("ADMIN");

          const roles = await axJson<{ roles: { name: string }[] }>(["roles", "list"]);
          expect(roles.roles.map((r) => r.name)).toEqual(["ADMIN", "MEMBER", "READ_ONLY"]);
          const custom = await axRun([
            "roles",
            "create",
            "--name",
            "Data Scientist",
            "--permissions",
            "PROJECT_READ",
          ]);
          expect(custom.code).not.toBe(0);
          expect(custom.stdout + custom.stderr).toMatch(/422|Unprocessable/i);
          expect(custom.stdout + custom.stderr).toMatch(/not supported/i);

          expectSuccess(
            "ax users delete",
            await axRun(["users", "delete", "--email", "tess@ax.initech.example", "--force"]),
          );
          expectSuccess("ax spaces delete", await axRun(["spaces", "delete", space.id, "--force"]));
          expectSuccess(
            "ax organizations delete",
            await axRun(["organizations", "delete", org.id, "--force"]),
          );
        } finally {
          await rm(home, { recursive: true, force: true });
        }
      },
      CLIENT_TIMEOUT,
    );
  },
);
