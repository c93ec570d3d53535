/**
 * Issue 16, item 4: the reveal dialog's "Use it with Arize's clients" snippets, run for real. For each
 * client family the snippet the dialog shows (components/api-keys/client-snippets.ts, the same function
 * the dialog renders) is pasted into bash, with every ARIZE_* variable of this process removed and an
 * empty HOME; then Arize's own client lists the caller's API keys with nothing but what the snippet
 * set. It must answer with the key just created, which only this server (spawned: server.ts over real
 * HTTP) knows; a client left on its default host (Arize's cloud) cannot. The server runs with
 * PUBLIC_URL naming it by another address (127.0.0.1 where the test reaches it as localhost), and the
 * snippets are made from the address its API Keys page hands the dialog, as the browser would. The clients: the published
 * `@arizeai/ax-client` (in-process), the newest `arize` Python SDK and `ax` CLI (virtual environments,
 * lib/testing/python-clients.ts), and client-go-v2 v0.22.0 (lib/testing/go-clients.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { listApiKeys } from "@arizeai/ax-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientSnippets, serverOrigin, type ClientSnippet } from "../components/api-keys/client-snippets";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { goClientProgram } from "../lib/testing/go-clients";
import { expectSuccess } from "../lib/testing/client-runs";
import { newestOnPyPI, pythonEnv, run, scrubKeys } from "../lib/testing/python-clients";
import { REPO_ROOT, spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { testDatabases, type TestDatabaseHandle } from "../lib/testing/test-databases";

const GO_CLIENT_VERSION = "0.22.0";
/** Each `ax` or `arize` run starts a Python that imports the whole SDK: seconds apiece on 2 cores. */
const CLIENT_TIMEOUT = 600_000;

/** This process's environment without any ARIZE_* variable, and with an empty home. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("ARIZE_")) delete env[name];
  return { ...env, HOME: home, NO_COLOR: "1", COLUMNS: "200", DISABLE_PRERELEASE_WARNING: "true" };
}

/** Pastes the snippet into bash (in `home`, with `cleanEnv`), then runs `command` in that same shell. */
function inShell(snippet: string, home: string, command: string[], extraEnv: Record<string, string> = {}) {
  return run("bash", ["-euc", `${snippet}\nexec "$@"`, "bash", ...command], {
    cwd: home,
    env: { ...cleanEnv(home), ...extraEnv },
    timeoutMs: CLIENT_TIMEOUT,
  });
}

/** A port free right now, for a server that must know its own address (PUBLIC_URL) before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The JSON document a program printed last (the CLI may print notices before it). */
function lastJson(stdout: string): unknown {
  const start = stdout.search(/^[[{]/m);
  if (start < 0) throw new Error(`no JSON in the output:\n${scrubKeys(stdout)}`);
  return JSON.parse(stdout.slice(start)) as unknown;
}

describe.each(testDatabases())("the reveal dialog's snippets, run by Arize's clients ($name)", (database) => {
  let handle: TestDatabaseHandle | undefined;
  let server: SpawnedServer | undefined;
  let keyId = "";
  let snippets: ClientSnippet[] = [];
  let home = "";

  const snippetOf = (family: ClientSnippet["family"]) => {
    const found = snippets.find((s) => s.family === family);
    if (!found) throw new Error(`no ${family} snippet`);
    return found.snippet;
  };

  beforeAll(async () => {
    handle = await database.open();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    server = await spawnServer({
      env: { DATABASE_URL: handle.url, KEYDESK_DEMO: "1", PORT: String(port), PUBLIC_URL: publicUrl },
    });
    const baseUrl = server.baseUrl;
    expect(new URL(baseUrl).host).not.toBe(new URL(publicUrl).host);
    const session = await fetch(`${baseUrl}/v2/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
    });
    expect(session.status).toBe(201);
    const { token } = (await session.json()) as { token: string };
    const created = await fetch(`${baseUrl}/v2/api-keys`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: "reveal snippet check" }),
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string };
    keyId = key.id;
    // The API Keys page hands the reveal dialog PUBLIC_URL (a prop in its server-rendered payload), and
    // the dialog prefers it to the page's own origin.
    const page = await fetch(`${baseUrl}/settings/api-keys`, {
      headers: { cookie: `keydesk_session=${token}` },
    });
    expect(page.status).toBe(200);
    const handed = /\\?"publicUrl\\?":\\?"([^"\\]+)/.exec(await page.text())?.[1];
    expect(handed).toBe(publicUrl);
    const origin = serverOrigin(handed, new URL(baseUrl).origin);
    expect(origin).toBe(publicUrl);
    snippets = clientSnippets({ origin, key: key.key });
    expect(snippets.map((s) => s.family)).toEqual(["typescript", "python", "go", "ax"]);
    home = await mkdtemp(path.join(os.tmpdir(), "keydesk-snippets-"));
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await handle?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("TypeScript: @arizeai/ax-client's listApiKeys(), configured by the snippet's environment alone, lists the key here", async () => {
    // The variables the snippet sets, as bash sets them.
    const printed = await inShell(snippetOf("typescript"), home, ["env", "-0"]);
    expectSuccess("the TypeScript snippet", printed);
    const set = Object.fromEntries(
      printed.stdout
        .split("\0")
        .filter((line) => line.startsWith("ARIZE_"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );

    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith("ARIZE_")) delete process.env[name];
    Object.assign(process.env, set, { DISABLE_PRERELEASE_WARNING: "true" });
    try {
      // No client and no options: the client is made from the environment, as a person's would be.
      const listed = await listApiKeys();
      expect(listed.data.map((k) => k.id)).toContain(keyId);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it(
    "Python: the newest arize SDK's ArizeClient(), configured by the snippet's environment alone, lists the key here",
    async () => {
      const venv = await pythonEnv("arize", await newestOnPyPI("arize"));
      const program = [
        "import json",
        "from arize import ArizeClient",
        "listed = ArizeClient().api_keys.list()",
        "print(json.dumps([(getattr(k, 'actual_instance', None) or k).id for k in listed.api_keys]))",
      ].join("\n");
      const result = await inShell(
        snippetOf("python"),
        home,
        [path.join(venv, "bin", "python"), "-c", program],
        {
          PYTHONDONTWRITEBYTECODE: "1",
        },
      );
      expectSuccess("arize with the Python snippet", result);
      expect(lastJson(result.stdout)).toContain(keyId);
      expect(result.stdout + result.stderr).not.toMatch(/ak-[A-Za-z0-9_-]{60,}/);
    },
    CLIENT_TIMEOUT,
  );

  it(
    `Go: client-go-v2 v${GO_CLIENT_VERSION}'s arize.NewClient(arize.Config{}), configured by the snippet's environment alone, lists the key here`,
    async () => {
      const binary = await goClientProgram(
        path.join(REPO_ROOT, "tests", "clients", "go_list_keys"),
        GO_CLIENT_VERSION,
      );
      const result = await inShell(snippetOf("go"), home, [binary]);
      expectSuccess("client-go-v2 with the Go snippet", result);
      expect(lastJson(result.stdout)).toContain(keyId);
    },
    CLIENT_TIMEOUT,
  );

  it(
    "the ax CLI (newest): the snippet makes its profile, and `ax api-keys list` in that shell lists the key here",
    async () => {
      const cli = path.join(await pythonEnv("arize-ax-cli", await newestOnPyPI("arize-ax-cli")), "bin");
      const cliHome = await mkdtemp(path.join(home, "ax-"));
      const result = await inShell(snippetOf("ax"), cliHome, ["ax", "api-keys", "list", "-o", "json"], {
        PATH: `${cli}${path.delimiter}${process.env.PATH ?? ""}`,
      });
      expectSuccess("ax with the ax CLI snippet", result);
      const listed = lastJson(result.stdout) as {
        api_keys: ({ id: string } | { actual_instance: { id: string } })[];
      };
      expect(listed.api_keys.map((k) => ("actual_instance" in k ? k.actual_instance.id : k.id))).toContain(
        keyId,
      );
    },
    CLIENT_TIMEOUT,
  );
});
