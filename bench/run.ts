/**
 * `npm run bench`: the keys API's performance targets, measured on the production server.
 *
 * 1. /v2/me with a valid key under load (autocannon, 50 connections) on PostgreSQL, against a bare
 *    node:http server doing the same minimum (checksum, SHA-256, one indexed lookup) on the same
 *    database and key; then Keydesk on PGlite. The server's RSS is sampled during load.
 * 2. GET /v2/api-keys?limit=50 latency, sequential, with 1,000 and 100,000 keys of one user.
 *
 * Prints a markdown table and updates the generated part of BENCHMARKS.md. Every child is killed at
 * the end, on failure too, and every step is bounded in time.
 *
 * Env: BENCH_DATABASE_URL | TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_DURATION (seconds of measured load, default 10), BENCH_BUILD=0 to fail instead of building.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = 50;
const TOTAL_DEADLINE_MS = 15 * 60_000;
const DEMO = { email: "admin@example.com", password: "keydesk-demo" };

// ── Children: tracked, bounded, always killed ───────────────────────────────────────────────────

const children = new Set<ChildProcess>();

function killChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      children.delete(child);
      return resolve();
    }
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      children.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function killAllSync(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}
process.on("exit", killAllSync);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAllSync();
    process.exit(130);
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` (so the pid is the server's own) and waits for its ready line. */
function startServer(label: string, script: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void killChild(child);
      reject(new Error(`${label} did not start within 60 s. Output:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready on (http:\/\/localhost:(\d+))/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        // Keep draining, so a chatty server never blocks on a full pipe.
        child.stdout?.resume();
        resolve({ child, url: `http://127.0.0.1:${match[2]}`, stop: () => killChild(child) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready. Output:\n${output}`));
    });
  });
}

// ── HTTP helpers ────────────────────────────────────────────────────────────────────────────────

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(
  url: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        agent,
        timeout: 10_000,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
    req.on("error", reject);
    req.end(payload);
  });
}

async function json<T>(url: string, options: Parameters<typeof request>[1], want: number): Promise<T> {
  const res = await request(url, options);
  if (res.status !== want) throw new Error(`${options?.method ?? "GET"} ${url}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as T;
}

async function signInAndCreateKey(base: string): Promise<{ session: string; key: string }> {
  const { token } = await json<{ token: string }>(`${base}/v2/sessions`, { method: "POST", body: DEMO }, 201);
  const { key } = await json<{ key: string }>(
    `${base}/v2/api-keys`,
    { method: "POST", token, body: { name: "bench" } },
    201,
  );
  await json(`${base}/v2/me`, { token: key }, 200);
  return { session: token, key };
}

// ── Load ────────────────────────────────────────────────────────────────────────────────────────

function rssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  bad: number;
  rssIdleMiB: number | null;
  rssPeakMiB: number | null;
}

async function load(url: string, key: string, pid: number | undefined): Promise<LoadResult> {
  const options = {
    url,
    connections: CONNECTIONS,
    headers: { authorization: `Bearer ${key}` },
  };
  const rssIdleMiB = rssMiB(pid);
  await autocannon({ ...options, duration: WARMUP_S });
  let rssPeakMiB = rssMiB(pid);
  const sampler = setInterval(() => {
    const now = rssMiB(pid);
    if (now !== null && (rssPeakMiB === null || now > rssPeakMiB)) rssPeakMiB = now;
  }, 200);
  try {
    const result = await withTimeout(
      autocannon({ ...options, duration: DURATION_S }),
      (DURATION_S + 30) * 1000,
      "autocannon",
    );
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      bad: result.non2xx + result.errors + result.timeouts,
      rssIdleMiB,
      rssPeakMiB,
    };
  } finally {
    clearInterval(sampler);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

// ── Listing ─────────────────────────────────────────────────────────────────────────────────────

/** Adds `count` active user keys of the admin, older than every existing one, with valid shapes. */
async function seedUserKeys(url: string, from: number, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    const {
      rows: [admin],
    } = await client.query<{ id: string; account_id: string }>(
      "select id, account_id from users where email = $1",
      [DEMO.email],
    );
    if (!admin) throw new Error("the demo admin is missing");
    await client.query(
      `insert into api_keys (id, account_id, key_type, name, status, created_by_user_id, user_id,
                             redacted_key, created_at)
       select md5('bench-key-' || i)::uuid, $1, 'user', 'bench key ' || i, 'active', $2, $2,
              'ak-' || substr(md5('r' || i), 1, 3) || '...' || substr(md5('s' || i), 1, 3),
              now() - interval '1 day' - i * interval '1 second'
       from generate_series($3::int, $4::int) as i`,
      [admin.account_id, admin.id, from, from + count - 1],
    );
    await client.query(
      `insert into api_key_secrets (id, api_key_id, digest, is_current, created_at)
       select md5('bench-secret-' || i)::uuid, md5('bench-key-' || i)::uuid,
              encode(sha256(('bench-digest-' || i)::bytea), 'hex'), true,
              now() - interval '1 day' - i * interval '1 second'
       from generate_series($1::int, $2::int) as i`,
      [from, from + count - 1],
    );
    await client.query("commit");
    await client.query("analyze api_keys");
    await client.query("analyze api_key_secrets");
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface ListResult {
  keys: number;
  first: { p50: number; p99: number };
  pages: { p50: number; p99: number };
}

/** Sequential: 300 first pages, then 30 walks of 5 pages following the cursors. */
async function listLatency(base: string, token: string, keys: number): Promise<ListResult> {
  const first: number[] = [];
  const pages: number[] = [];
  const get = async (query: string) => {
    const start = performance.now();
    const res = await request(`${base}/v2/api-keys?${query}`, { token });
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`list: ${res.status} ${res.body}`);
    const page = JSON.parse(res.body) as { api_keys: unknown[]; pagination: { next_cursor?: string } };
    if (page.api_keys.length !== 50) throw new Error(`list: expected 50 keys, got ${page.api_keys.length}`);
    return { ms, cursor: page.pagination.next_cursor };
  };
  for (let i = 0; i < 50; i++) await get("limit=50"); // warm-up
  for (let i = 0; i < 300; i++) first.push((await get("limit=50")).ms);
  for (let walk = 0; walk < 30; walk++) {
    let cursor = (await get("limit=50")).cursor;
    for (let page = 2; page <= 5 && cursor; page++) {
      const next = await get(`limit=50&cursor=${encodeURIComponent(cursor)}`);
      pages.push(next.ms);
      cursor = next.cursor;
    }
  }
  first.sort((a, b) => a - b);
  pages.sort((a, b) => a - b);
  return {
    keys,
    first: { p50: percentile(first, 50), p99: percentile(first, 99) },
    pages: { p50: percentile(pages, 50), p99: percentile(pages, 99) },
  };
}

// ── Report ──────────────────────────────────────────────────────────────────────────────────────

const fmt = (n: number | null, digits = 1) => (n === null || Number.isNaN(n) ? "–" : n.toFixed(digits));
const yes = (ok: boolean) => (ok ? "**met**" : "**not met**");

function machine(pgVersion: string): string {
  return [
    `- Machine: ${os.cpus().length} cores (\`nproc\` ${spawnSync("nproc").stdout.toString().trim()}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.cpus()[0]?.model ?? "unknown CPU"}`,
    `- Node ${process.version}; ${pgVersion}`,
    // The figures are only as quiet as the machine: other work on it shows up here.
    `- Load average when the run ended (1/5/15 min): ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" / ")}`,
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`npm run bench\` (autocannon, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s; ` +
      `load generator, server and PostgreSQL on the same machine)`,
  ].join("\n");
}

function report(
  pgVersion: string,
  me: { keydeskPg: LoadResult; bare: LoadResult; keydeskPglite: LoadResult },
  lists: ListResult[],
): string {
  const ratio = me.keydeskPg.rps / me.bare.rps;
  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.requests} | ${r.bad} | ` +
    `${fmt(r.rssIdleMiB, 0)} → ${fmt(r.rssPeakMiB, 0)} |`;
  const [small, large] = lists;
  const lines = [
    machine(pgVersion),
    "",
    "### `GET /v2/me` with a valid user key",
    "",
    "| server | req/s | p50 ms | p99 ms | requests | non-2xx/errors | RSS MiB (idle → peak under load) |",
    "|---|---:|---:|---:|---:|---:|---:|",
    row("Keydesk, PostgreSQL", me.keydeskPg),
    row("bare node:http + pg, same database and key", me.bare),
    row("Keydesk, PGlite (embedded)", me.keydeskPglite),
    "",
    "### `GET /v2/api-keys?limit=50` (one user's keys, sequential, one connection)",
    "",
    "| keys | first page p50 ms | first page p99 ms | pages 2–5 via cursor p50 ms | pages 2–5 p99 ms |",
    "|---:|---:|---:|---:|---:|",
    ...lists.map(
      (l) =>
        `| ${l.keys.toLocaleString("en-US")} | ${fmt(l.first.p50, 2)} | ${fmt(l.first.p99, 2)} | ` +
        `${fmt(l.pages.p50, 2)} | ${fmt(l.pages.p99, 2)} |`,
    ),
    "",
    "### Targets",
    "",
    `- /v2/me ≥ 70 % of the bare server's req/s: ${fmt(ratio * 100, 0)} % — ${yes(ratio >= 0.7)}`,
    `- /v2/me p99 ≤ 10 ms: ${fmt(me.keydeskPg.p99)} ms — ${yes(me.keydeskPg.p99 <= 10)}`,
  ];
  if (small && large) {
    lines.push(
      `- list p50 ≤ 5 ms with 1,000 keys: ${fmt(small.first.p50, 2)} ms — ${yes(small.first.p50 <= 5)}`,
      `- list p50 ≤ 5 ms with 100,000 keys: ${fmt(large.first.p50, 2)} ms — ${yes(large.first.p50 <= 5)}`,
      `- 100k within 1.5× of 1k: ${fmt(large.first.p50 / small.first.p50, 2)}× — ` +
        `${yes(large.first.p50 <= 1.5 * small.first.p50)}`,
    );
  }
  return lines.join("\n");
}

const START =
  "<!-- bench:start (generated by npm run bench; edits between these markers are overwritten) -->";
const END = "<!-- bench:end -->";

function writeBenchmarksMd(block: string): void {
  const file = path.join(ROOT, "BENCHMARKS.md");
  const generated = `${START}\n## Latest run\n\n${block}\n${END}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const from = current.indexOf(START);
  const to = current.indexOf(END);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + generated + current.slice(to + END.length)
      : `${current || "# Benchmarks\n\nRun with `npm run bench`. The figures below are from this machine.\n"}\n${generated}\n`;
  writeFileSync(file, next);
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select version() as v");
    return (rows[0]?.v ?? "PostgreSQL ?").split(" on ")[0] ?? "PostgreSQL ?";
  } finally {
    await client.end();
  }
}

// ── Main ────────────────────────────────────────────────────────────────────────────────────────

function ensureBuild(): void {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  if (process.env.BENCH_BUILD === "0") {
    throw new Error("No production build (.next/BUILD_ID is missing). Run `npm run build` first.");
  }
  console.log("No production build found; running `npx next build` (up to 10 minutes)…");
  const result = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", timeout: 600_000 });
  if (result.status !== 0 || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("`npx next build` failed; fix the build, or run `npm run build`, then `npm run bench`.");
  }
}

async function main(): Promise<void> {
  ensureBuild();
  const production = { NODE_ENV: "production" };
  let database: TestDatabaseHandle | undefined;
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), "keydesk-bench-"));
  try {
    database = await openScratchPostgres(BASE_URL);
    const pgVersion = await serverVersion(database.url);
    console.log(`Scratch database ready (${pgVersion}).`);

    // 1. /v2/me on PostgreSQL.
    let keydesk = await startServer("Keydesk (PostgreSQL)", "server.ts", {
      ...production,
      DATABASE_URL: database.url,
      KEYDESK_DEMO: "1",
    });
    const { key } = await signInAndCreateKey(keydesk.url);
    console.log(`Keydesk on PostgreSQL: ${keydesk.url}; loading /v2/me…`);
    const keydeskPg = await load(`${keydesk.url}/v2/me`, key, keydesk.child.pid);
    await keydesk.stop();

    // 2. The bare server, same database, same key.
    const bare = await startServer("bare server", "bench/bare-server.ts", { DATABASE_URL: database.url });
    console.log(`Bare server: ${bare.url}; loading…`);
    const bareResult = await load(`${bare.url}/`, key, bare.child.pid);
    await bare.stop();

    // 3. Keydesk on PGlite (the demo directory is created in an empty embedded database).
    const lite = await startServer("Keydesk (PGlite)", "server.ts", {
      ...production,
      DATABASE_URL: `pglite:${pgliteDir}`,
    });
    const liteKey = await signInAndCreateKey(lite.url);
    console.log(`Keydesk on PGlite: ${lite.url}; loading /v2/me…`);
    const keydeskPglite = await load(`${lite.url}/v2/me`, liteKey.key, lite.child.pid);
    await lite.stop();

    // 4. Listing with 1,000 and then 100,000 keys of one user (plus the one the bench created).
    keydesk = await startServer("Keydesk (PostgreSQL)", "server.ts", {
      ...production,
      DATABASE_URL: database.url,
      KEYDESK_DEMO: "1",
    });
    const lists: ListResult[] = [];
    await seedUserKeys(database.url, 1, 1_000);
    console.log("Listing with 1,000 keys…");
    lists.push(await listLatency(keydesk.url, key, 1_000));
    await seedUserKeys(database.url, 1_001, 99_000);
    console.log("Listing with 100,000 keys…");
    lists.push(await listLatency(keydesk.url, key, 100_000));
    await keydesk.stop();

    const block = report(pgVersion, { keydeskPg, bare: bareResult, keydeskPglite }, lists);
    console.log(`\n${block}\n`);
    writeBenchmarksMd(block);
    console.log("Updated BENCHMARKS.md.");
  } finally {
    await Promise.allSettled([...children].map(killChild));
    agent.destroy();
    await database
      ?.close()
      .catch((err: unknown) => console.error(`dropping the scratch database: ${String(err)}`));
    rmSync(pgliteDir, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  console.error(`bench: gave up after ${TOTAL_DEADLINE_MS / 60_000} minutes`);
  killAllSync();
  process.exit(1);
}, TOTAL_DEADLINE_MS);
deadline.unref();

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    killAllSync();
    process.exit(1);
  },
);
