/**
 * `npm run bench:ui`: the dashboard's performance on the production build (run `npm run build` first).
 *
 * 1. JavaScript transferred for each settings page (API Keys, Members, Organizations & Spaces, an
 *    organization's and a space's page) on a first visit with an empty cache: every script response,
 *    as served and gzip-compressed (level 6, what a typical proxy applies).
 * 2. Time from navigation start to the keys table's first row (in-page clock, `performance.now()`),
 *    10 visits with a warm HTTP cache and 10 cold ones (new browser context each), median.
 * 3. Round trip of the create-key server action: a real request captured from the page, replayed over
 *    HTTP with a fresh name each time (one at a time), p50.
 *
 * Starts its own server (`node --import tsx server.ts`, NODE_ENV=production) on a fresh embedded
 * database in a temporary folder, and stops it at the end, on failure too.
 * Env: BENCH_UI_PORT (default 3190), BENCH_UI_RUNS (default 10), CHROMIUM (default /usr/bin/chromium).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Request } from "@playwright/test";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.BENCH_UI_PORT ?? 3190);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 10);
const ORIGIN = `http://localhost:${PORT}`;
const PAGE = `${ORIGIN}/settings/api-keys`;
const ADMIN = { email: "admin@example.com", password: "keydesk-demo" };
const SEEDED_KEYS = 30;
const ACTION_RUNS = 50;
const TARGETS = { jsKiB: 160, firstRowMs: 400, createP50Ms: 60 };

function median(values: number[]): number {
  return percentile(values, 50);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[rank] ?? Number.NaN;
}

const kib = (bytes: number) => bytes / 1024;

async function startServer(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL: `pglite:${dataDir}`,
      KEYDESK_DEMO: "1",
      KEYS_CHANGES_PER_MINUTE: "1000000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Keydesk ready on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return child;
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function api(method: string, url: string, token: string | null, body?: unknown) {
  const res = await fetch(`${ORIGIN}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A browser context with the session cookie of `token`; with null, a signed-out visitor's. */
async function signedInContext(browser: Browser, token: string | null): Promise<BrowserContext> {
  const context = await browser.newContext();
  if (token) await context.addCookies([{ name: "keydesk_session", value: token, url: ORIGIN, httpOnly: true }]);
  // Milliseconds from navigation start until the table has its first data row.
  // A string, not a function: tsx would wrap a function's inner declarations in helpers the page lacks.
  await context.addInitScript({
    content: `new MutationObserver(() => {
      if (window.firstRowAt === undefined && document.querySelector("table tbody tr")) {
        window.firstRowAt = performance.now();
      }
    }).observe(document, { subtree: true, childList: true });`,
  });
  return context;
}

async function visit(context: BrowserContext): Promise<number> {
  const page = await context.newPage();
  await page.goto(PAGE);
  // The row locator waits; the in-page clock says when the row appeared.
  await page.getByRole("row").nth(1).waitFor({ timeout: 30_000 });
  const ms = await page.evaluate(() => (window as Window & { firstRowAt?: number }).firstRowAt ?? NaN);
  await page.close();
  return ms;
}

async function measureScripts(browser: Browser, token: string | null, url: string) {
  const context = await signedInContext(browser, token);
  const page = await context.newPage();
  const scripts: { url: string; served: number; encoding: string; raw: number; gzip: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on("requestfinished", (request) => {
    if (request.resourceType() !== "script") return;
    pending.push(
      (async () => {
        const response = await request.response();
        if (!response) return;
        const body = await response.body();
        const sizes = await request.sizes();
        scripts.push({
          url: new URL(request.url()).pathname,
          served: sizes.responseBodySize,
          encoding: (await response.headerValue("content-encoding")) ?? "identity",
          raw: body.length,
          gzip: gzipSync(body, { level: 6 }).length,
        });
      })(),
    );
  });
  await page.goto(url);
  await page.getByRole("heading", { level: 1 }).waitFor({ timeout: 30_000 });
  if (url === PAGE) await page.getByRole("row").nth(1).waitFor({ timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  await context.close();
  return scripts.sort((a, b) => b.gzip - a.gzip);
}

/** The settings pages, each with a path to visit: the detail pages use the first organization and space. */
async function settingsPages(token: string): Promise<{ label: string; url: string }[]> {
  const me = (await api("GET", "/v2/me", token)) as {
    organizations?: { id: string; spaces: { id: string }[] }[];
  };
  const org = me.organizations?.[0];
  const space = me.organizations?.flatMap((o) => o.spaces)[0];
  if (!org || !space) throw new Error("the demo account has no organization or space to visit");
  // A key's own page (lifecycle.md §1): the first of the admin's seeded keys.
  const keys = (await api("GET", "/v2/api-keys?limit=1", token)) as { api_keys?: { id: string }[] };
  const key = keys.api_keys?.[0];
  if (!key) throw new Error("the admin has no key to visit");
  return [
    { label: "/settings/api-keys", url: PAGE },
    { label: "/settings/members", url: `${ORIGIN}/settings/members` },
    { label: "/settings/spaces", url: `${ORIGIN}/settings/spaces` },
    { label: "/settings/key-policy", url: `${ORIGIN}/settings/key-policy` },
    {
      label: "/settings/organizations/[id]",
      url: `${ORIGIN}/settings/organizations/${encodeURIComponent(org.id)}`,
    },
    { label: "/settings/spaces/[id]", url: `${ORIGIN}/settings/spaces/${encodeURIComponent(space.id)}` },
    { label: "/settings/api-keys/[id]", url: `${ORIGIN}/settings/api-keys/${encodeURIComponent(key.id)}` },
    { label: "/settings/webhooks", url: `${ORIGIN}/settings/webhooks` },
    { label: "/settings/audit-log", url: `${ORIGIN}/settings/audit-log` },
    { label: "/settings/backup", url: `${ORIGIN}/settings/backup` },
    { label: "/settings/signed-in-apps", url: `${ORIGIN}/settings/signed-in-apps` },
  ];
}

async function captureCreateAction(browser: Browser, token: string) {
  const context = await signedInContext(browser, token);
  const page = await context.newPage();
  await page.goto(PAGE);
  await page.getByRole("button", { name: "New API Key" }).click();
  const dialog = page.getByRole("dialog", { name: "New API Key" });
  const name = `bench-capture-${Date.now()}`;
  await dialog.getByLabel("Key Name").fill(name);
  const captured = page.waitForRequest(
    (r: Request) =>
      r.method() === "POST" &&
      r.headers()["next-action"] !== undefined &&
      (r.postData() ?? "").includes(name),
  );
  await dialog.getByRole("button", { name: "Create Key" }).click();
  const request = await captured;
  await page.getByRole("dialog", { name: "Save your API key" }).waitFor();
  const headers = await request.allHeaders();
  await context.close();
  return { url: request.url(), headers, body: request.postData() ?? "", name };
}

async function measureCreateAction(browser: Browser, token: string) {
  const action = await captureCreateAction(browser, token);
  const headers: Record<string, string> = {
    accept: action.headers["accept"] ?? "text/x-component",
    "content-type": action.headers["content-type"] ?? "text/plain;charset=UTF-8",
    "next-action": action.headers["next-action"] ?? "",
    "next-router-state-tree": action.headers["next-router-state-tree"] ?? "",
    origin: ORIGIN,
    cookie: `keydesk_session=${token}`,
  };
  const times: number[] = [];
  for (let i = 0; i < ACTION_RUNS + 5; i++) {
    const started = performance.now();
    const res = await fetch(action.url, {
      method: "POST",
      headers,
      body: action.body.split(action.name).join(`bench-create-${i}`),
    });
    const text = await res.text();
    const elapsed = performance.now() - started;
    if (res.status !== 200 || !/ak-[0-9a-f-]{36}-/.test(text)) {
      throw new Error(`create action replay failed: ${res.status} ${text.slice(0, 200)}`);
    }
    if (i >= 5) times.push(elapsed); // the first few warm up the server
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first.");
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "keydesk-bench-ui-"));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer(dataDir);
    const session = await api("POST", "/v2/sessions", null, ADMIN);
    const token = String(session.token);
    for (let i = 0; i < SEEDED_KEYS; i++) {
      await api("POST", "/v2/api-keys", token, { name: `bench-seed-${i}`, key_type: "user" });
    }
    const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
    browser = await chromium.launch({
      ...(existsSync(executablePath) ? { executablePath } : {}),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });

    // Warm the server's code paths once before measuring anything.
    const warm = await signedInContext(browser, token);
    await visit(warm);
    await warm.close();

    const pageScripts: { label: string; gzip: number; files: number }[] = [];
    const pages = [
      ...(await settingsPages(token)).map((p) => ({ ...p, token })),
      // The pages of someone signed out: each is its form, so nothing of the dashboard is lazy there.
      { label: "/login", url: `${ORIGIN}/login`, token: null },
      { label: "/forgot-password", url: `${ORIGIN}/forgot-password`, token: null },
    ];
    for (const { label, url, token: pageToken } of pages) {
      const list = await measureScripts(browser, pageToken, url);
      pageScripts.push({ label, gzip: list.reduce((sum, s) => sum + s.gzip, 0), files: list.length });
    }
    const scripts = await measureScripts(browser, token, PAGE);
    const served = scripts.reduce((sum, s) => sum + s.served, 0);
    const raw = scripts.reduce((sum, s) => sum + s.raw, 0);
    const gzip = scripts.reduce((sum, s) => sum + s.gzip, 0);
    const encodings = [...new Set(scripts.map((s) => s.encoding))].join(", ");

    const warmContext = await signedInContext(browser, token);
    await visit(warmContext);
    const warmTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) warmTimes.push(await visit(warmContext));
    await warmContext.close();
    const coldTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await signedInContext(browser, token);
      coldTimes.push(await visit(context));
      await context.close();
    }

    const create = await measureCreateAction(browser, token);

    const met = (ok: boolean) => (ok ? "met" : "**not met**");
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ");
    const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
    const nproc = spawnSync("nproc").stdout.toString().trim();
    const lines = [
      "## Dashboard",
      "",
      `- Machine: ${nproc} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory; Node ${process.version}; Debian Chromium (headless)`,
      `- Date: ${new Date().toISOString()}; load average at the end (1, 5, 15 min): ${load}`,
      "- Command: `npm run build && npm run bench:ui` (production server on a fresh embedded PGlite database, browser and server on the same machine; admin with " +
        `${SEEDED_KEYS} user keys)`,
      "",
      "| measure | result | target | |",
      "|---|---:|---:|---|",
      ...pageScripts.map(
        (p) =>
          `| JavaScript for ${p.label}, first visit, empty cache (gzip, ${p.files} files) | ${kib(p.gzip).toFixed(1)} KiB | ≤ ${TARGETS.jsKiB} KB | ${met(kib(p.gzip) <= TARGETS.jsKiB)} |`,
      ),
      `| navigation → first table row, median of ${RUNS}, warm HTTP cache | ${median(warmTimes).toFixed(0)} ms | ≤ ${TARGETS.firstRowMs} ms | ${met(median(warmTimes) <= TARGETS.firstRowMs)} |`,
      `| navigation → first table row, median of ${RUNS}, cold (new context) | ${median(coldTimes).toFixed(0)} ms | ≤ ${TARGETS.firstRowMs} ms | ${met(median(coldTimes) <= TARGETS.firstRowMs)} |`,
      `| create-key server action round trip, p50 of ${ACTION_RUNS} (p95) | ${create.p50.toFixed(1)} ms (${create.p95.toFixed(1)}) | ≤ ${TARGETS.createP50Ms} ms | ${met(create.p50 <= TARGETS.createP50Ms)} |`,
      "",
      `Scripts of /settings/api-keys: ${scripts.length} files, ${kib(raw).toFixed(1)} KiB uncompressed, ${kib(served).toFixed(1)} KiB as served (content-encoding: ${encodings}), ${kib(gzip).toFixed(1)} KiB gzip. Largest (gzip KiB): ` +
        scripts
          .slice(0, 5)
          .map((s) => `${path.basename(s.url)} ${kib(s.gzip).toFixed(1)}`)
          .join(", ") +
        ".",
      `First-row samples (ms), warm: ${warmTimes.map((t) => t.toFixed(0)).join(", ")}; cold: ${coldTimes.map((t) => t.toFixed(0)).join(", ")}.`,
    ];
    console.log(lines.join("\n"));
  } finally {
    await browser?.close();
    if (server) await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
