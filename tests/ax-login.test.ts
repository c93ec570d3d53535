/**
 * The real `ax` CLI (arize-ax-cli 0.39.0, in its virtual environment: lib/testing/python-clients.ts)
 * signs in to Keydesk through the browser (issue 21): `ax auth login` opens the authorize URL with
 * the `BROWSER` program (a script that writes the URL to a file), Chromium driven by Playwright opens
 * it, signs in on /login, clicks Approve and lands on /auth/cli/callback with the success text; the CLI
 * exits 0 with its tokens in the profile; `ax api-keys list` lists the person's keys with them;
 * `ax auth logout` revokes them (the access token is then refused on /v2/me). The CLI runs with its
 * own HOME (its profiles live in ~/.arize). On PostgreSQL first, then PGlite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expectSuccess, serverDatabases } from "../lib/testing/client-runs";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { pythonEnv, run, type RunResult } from "../lib/testing/python-clients";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";

/** The version whose sign-in was read (ax/commands/auth.py, ax/auth/*.py). */
const AX_CLI_VERSION = "0.39.0";
const CLI_TIMEOUT = 300_000;

const databases = serverDatabases("keydesk-ax-login-db", { demo: true });

/** Starts a program and collects its output; resolves with it when the program ends. */
function start(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<RunResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done };
}

let ax = "";
let browser: Browser | undefined;

beforeAll(async () => {
  ax = path.join(await pythonEnv("arize-ax-cli", AX_CLI_VERSION), "bin", "ax");
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  browser = await chromium.launch({
    ...(existsSync(executablePath) ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(databases)("ax auth login against server.ts on $name", (database) => {
  let server: SpawnedServer | undefined;
  let cleanup: () => Promise<void> = async () => undefined;
  let home = "";
  let cliEnv: NodeJS.ProcessEnv = process.env;
  let urlFile = "";

  beforeAll(async () => {
    const started = await database.start();
    cleanup = started.cleanup;
    server = await spawnServer({ env: started.env, timeoutMs: 200_000 });
    home = await mkdtemp(path.join(os.tmpdir(), "keydesk-ax-login-"));
    urlFile = path.join(home, "opened-url");
    // The browser the CLI opens (Python's webbrowser honours BROWSER): writes the URL down for Playwright.
    const browserScript = path.join(home, "browser.sh");
    await writeFile(browserScript, `#!/bin/sh\nprintf '%s' "$1" > '${urlFile}'\n`);
    await chmod(browserScript, 0o755);
    const url = new URL(server.baseUrl);
    // An OAuth profile, signed out, pointing at Keydesk for both the app (OAuth) and the API.
    const profile = path.join(home, "keydesk.toml");
    await writeFile(
      profile,
      [
        "[auth]",
        'auth_method = "oauth"',
        "",
        "[routing]",
        `single_host = "${url.hostname}"`,
        `single_port = "${url.port}"`,
        'app_scheme = "http"',
        'api_scheme = "http"',
        "",
      ].join("\n"),
    );
    cliEnv = {
      ...process.env,
      HOME: home,
      BROWSER: browserScript,
      COLUMNS: "200",
      NO_COLOR: "1",
      PYTHONDONTWRITEBYTECODE: "1",
    };
    delete cliEnv.ARIZE_API_KEY;
    expectSuccess(
      "ax profiles create",
      await run(ax, ["profiles", "create", "keydesk", "--from-file", profile], {
        env: cliEnv,
        timeoutMs: CLI_TIMEOUT,
      }),
    );
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    await cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it(
    "[member] signs in through the browser, lists keys with the token, and ax auth logout revokes it",
    { timeout: 600_000 },
    async () => {
      const base = server?.baseUrl ?? "";
      // A key of Max's, for the list to show.
      const session = await fetch(`${base}/v2/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: DEMO_USERS.member.email, password: DEMO_PASSWORD }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const created = await fetch(`${base}/v2/api-keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "listed through ax auth login" }),
      });
      expect(created.status).toBe(201);
      const keyId = ((await created.json()) as { id: string }).id;

      const login = start(ax, ["auth", "login"], cliEnv);
      try {
        const opened = await vi.waitFor(
          async () => {
            const text = await readFile(urlFile, "utf8").catch(() => "");
            if (!text) throw new Error(`ax auth login has not opened a URL yet`);
            return text;
          },
          { timeout: 120_000, interval: 200 },
        );
        const authorizeUrl = new URL(opened);
        expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${base}/oauth2/authorize`);
        expect(authorizeUrl.searchParams.get("client_id")).toBe("arize-cli");
        expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");

        const context = await (browser as Browser).newContext();
        const page = await context.newPage();
        try {
          await page.goto(opened);
          // Not signed in: the sign-in page first, then back to the approval.
          await page.waitForURL(/\/login\?next=/);
          await page.getByLabel("Email").fill(DEMO_USERS.member.email);
          await page.getByLabel("Password").fill(DEMO_PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await expect
            .poll(() => page.getByRole("heading", { name: "Approve ax CLI on this computer?" }).count(), {
              timeout: 60_000,
            })
            .toBe(1);
          expect(await page.getByText(DEMO_USERS.member.name).count()).toBeGreaterThan(0);
          await page.getByRole("button", { name: "Approve" }).click();
          await page.waitForURL(/\/auth\/cli\/callback\?status=success/, { timeout: 60_000 });
          expect(
            await page.getByText("You are signed in to the ax CLI. You can close this tab.").count(),
          ).toBe(1);
        } finally {
          await context.close();
        }
        const result = await login.done;
        expectSuccess("ax auth login", result);
        expect(result.stdout).toContain(`Logged in as ${DEMO_USERS.member.email}`);
      } finally {
        login.child.kill();
      }

      // The tokens are in the profile; the access token is Max on /v2/me.
      const profileText = await readFile(path.join(home, ".arize", "profiles", "keydesk.toml"), "utf8");
      const accessToken = /access_token = "([^"]+)"/.exec(profileText)?.[1] ?? "";
      expect(accessToken).not.toBe("");
      const me = await fetch(`${base}/v2/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: { email: string } }).user.email).toBe(DEMO_USERS.member.email);

      const list = await run(ax, ["api-keys", "list", "-o", "json"], { env: cliEnv, timeoutMs: CLI_TIMEOUT });
      expectSuccess("ax api-keys list", list);
      const listed = JSON.parse(list.stdout.slice(list.stdout.indexOf("{"))) as {
        api_keys: ({ id: string } | { actual_instance: { id: string } })[];
      };
      const ids = listed.api_keys.map((k) => ("actual_instance" in k ? k.actual_instance.id : k.id));
      expect(ids).toContain(keyId);

      const logout = await run(ax, ["auth", "logout"], { env: cliEnv, timeoutMs: CLI_TIMEOUT });
      expectSuccess("ax auth logout", logout);
      expect(logout.stdout).toContain("Logged out");
      const after = await fetch(`${base}/v2/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(after.status).toBe(401);
      expect(await readFile(path.join(home, ".arize", "profiles", "keydesk.toml"), "utf8")).not.toContain(
        accessToken,
      );
    },
  );
});
