/**
 * `npm run bench`: every figure of the keys API's performance targets (issue 11), measured on the
 * production server (`next build` output, NODE_ENV=production, one child process per server), side by
 * side in one run, and written to BENCHMARKS.md.
 *
 * 1. Verification, `GET /v2/me` with a valid user key, autocannon, 50 connections:
 *    - cached (the default): Keydesk on PostgreSQL and on PGlite against bench/bare-cached-server.ts, a
 *      bare node:http doing the same work as a cache hit (checksum, SHA-256, one Map lookup,
 *      JSON.stringify of the same body);
 *    - uncached (KEYDESK_KEY_CACHE=0): Keydesk on PostgreSQL against bench/bare-server.ts (checksum,
 *      SHA-256, one indexed lookup on the same database and key); Keydesk on PGlite reported beside.
 * 2. Listing, `?limit=50`, on PostgreSQL and on PGlite: a user's keys and a space's service keys with
 *    1,000 and 100,000 keys each; `GET /v2/users` and a space's member list with 1,000 and 10,000 people
 *    (when the build has those endpoints). One connection, sequential: the first page and a cursor page
 *    90 % deep into the list. Then, at the large size, the first pages under 50 connections.
 * 3. The RSS of every Keydesk server, sampled from /proc while under load.
 *
 * Prints the markdown and updates the generated part of BENCHMARKS.md. Every child is killed at the
 * end, on failure too, and every step is bounded in time.
 *
 * Env: BENCH_DATABASE_URL | TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_DURATION (seconds of measured load, default 10), BENCH_BUILD=0 to fail instead of building,
 * BENCH_NODE_OPTIONS (node flags for the Keydesk servers; default: those of `npm run serve`, its heap limit).
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
import { encodeCursor } from "../lib/domain/pagination";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";
import { buildIsCurrent } from "../scripts/build-stamp";
import { DEMO, seed, seededAt, seededUuid, withSql, type DbTarget } from "./seed";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = 50;
const TOTAL_DEADLINE_MS = 30 * 60_000;

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

/** The Node flags `npm run serve` starts the server with (the heap limit lives there). */
function serveFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const match = /\bnode((?: --\S+)*) --import tsx server\.ts/.exec(pkg.scripts.serve ?? "");
  if (!match) throw new Error("package.json's serve script does not run `node … --import tsx server.ts`");
  return (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
}

/** Starts `node --import tsx <script>` (so the pid is the server's own) and waits for its ready line. */
function startServer(label: string, script: string, env: Record<string, string>): Promise<Server> {
  // Keydesk runs with the flags `npm run serve` gives it (its heap limit), unless BENCH_NODE_OPTIONS says.
  const flags = process.env.BENCH_NODE_OPTIONS ?? (script === "server.ts" ? serveFlags().join(" ") : "");
  const nodeFlags = flags.split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", script], {
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

interface Caller {
  key: string;
  /** The exact /v2/me body for `key` (the cached yardstick sends the same bytes). */
  meBody: string;
}

async function signInAndCreateKey(base: string): Promise<Caller> {
  const { token } = await json<{ token: string }>(`${base}/v2/sessions`, { method: "POST", body: DEMO }, 201);
  const { key } = await json<{ key: string }>(
    `${base}/v2/api-keys`,
    { method: "POST", token, body: { name: "bench" } },
    201,
  );
  const me = await request(`${base}/v2/me`, { token: key });
  if (me.status !== 200) throw new Error(`/v2/me: ${me.status} ${me.body}`);
  return { key, meBody: me.body };
}

/** Which of the directory helper's list endpoints this build serves (from its OpenAPI document). */
async function directoryEndpoints(base: string): Promise<{ users: boolean; members: boolean }> {
  const doc = await json<{ paths?: Record<string, { get?: unknown }> }>(`${base}/v2/openapi.json`, {}, 200);
  const paths = doc.paths ?? {};
  return { users: !!paths["/v2/users"]?.get, members: !!paths["/v2/spaces/{id}/users"]?.get };
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
  /** 1-minute load average when the measured part ended. */
  loadAvg: number;
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
      loadAvg: os.loadavg()[0] ?? Number.NaN,
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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface ListSpec {
  name: string;
  /** Path and query of the first page (limit=50). */
  path: string;
  /** A cursor about 90 % deep into a list of `size` rows. */
  deepCursor(base: string, token: string, size: number): Promise<string>;
}

interface ListLatency {
  list: string;
  size: number;
  first: { p50: number; p99: number };
  deep: { p50: number; p99: number };
}

const PAGE = 50;

async function getPage(base: string, token: string, pathAndQuery: string) {
  const start = performance.now();
  const res = await request(`${base}${pathAndQuery}`, { token });
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`GET ${pathAndQuery}: ${res.status} ${res.body.slice(0, 300)}`);
  const body = JSON.parse(res.body) as Record<string, unknown> & { pagination?: { next_cursor?: string } };
  const items = Object.values(body).find(Array.isArray);
  if (!items || items.length !== PAGE)
    throw new Error(`GET ${pathAndQuery}: expected ${PAGE} items, got ${items?.length ?? "none"}`);
  return { ms, cursor: body.pagination?.next_cursor };
}

const withCursor = (pathAndQuery: string, cursor: string) =>
  `${pathAndQuery}&cursor=${encodeURIComponent(cursor)}`;

/** Keys: the cursor of the seeded row 90 % deep, made the way the server makes them. */
const keyCursor =
  (type: "user" | "service") =>
  (_base: string, _token: string, size: number): Promise<string> => {
    const i = Math.floor(size * 0.9);
    return Promise.resolve(encodeCursor({ createdAt: seededAt(i), id: seededUuid(`${type}-key`, i) }));
  };

/** Directory lists: follow the cursors (their order is the endpoint's own) to 90 % of the list. */
async function walkedCursor(
  base: string,
  token: string,
  pathAndQuery: string,
  size: number,
): Promise<string> {
  const pages = Math.floor((size * 0.9) / PAGE);
  let cursor = (await getPage(base, token, pathAndQuery)).cursor;
  for (let page = 1; page < pages && cursor; page++)
    cursor = (await getPage(base, token, withCursor(pathAndQuery, cursor))).cursor;
  if (!cursor) throw new Error(`${pathAndQuery}: the list ended before ${pages} pages`);
  return cursor;
}

/** Sequential, one connection: 100 warm-up requests (JIT), then 200 first pages and 200 deep pages. */
async function listLatency(base: string, token: string, spec: ListSpec, size: number): Promise<ListLatency> {
  const deepCursor = await spec.deepCursor(base, token, size);
  const deepPath = withCursor(spec.path, deepCursor);
  for (let i = 0; i < 100; i++) await getPage(base, token, i % 2 ? deepPath : spec.path);
  const first: number[] = [];
  const deep: number[] = [];
  for (let i = 0; i < 200; i++) {
    first.push((await getPage(base, token, spec.path)).ms);
    deep.push((await getPage(base, token, deepPath)).ms);
  }
  first.sort((a, b) => a - b);
  deep.sort((a, b) => a - b);
  return {
    list: spec.name,
    size,
    first: { p50: percentile(first, 50), p99: percentile(first, 99) },
    deep: { p50: percentile(deep, 50), p99: percentile(deep, 99) },
  };
}

function listSpecs(spaceId: string, directory: { users: boolean; members: boolean }): ListSpec[] {
  const specs: ListSpec[] = [
    { name: "a user's keys", path: `/v2/api-keys?limit=${PAGE}`, deepCursor: keyCursor("user") },
    {
      name: "a space's service keys",
      path: `/v2/api-keys?space_id=${encodeURIComponent(spaceId)}&limit=${PAGE}`,
      deepCursor: keyCursor("service"),
    },
  ];
  if (directory.users) {
    const path = `/v2/users?limit=${PAGE}`;
    specs.push({ name: "GET /v2/users", path, deepCursor: (b, t, n) => walkedCursor(b, t, path, n) });
  }
  if (directory.members) {
    const path = `/v2/spaces/${encodeURIComponent(spaceId)}/users?limit=${PAGE}`;
    specs.push({ name: "a space's members", path, deepCursor: (b, t, n) => walkedCursor(b, t, path, n) });
  }
  return specs;
}

const isPeopleList = (spec: ListSpec) => spec.name === "GET /v2/users" || spec.name === "a space's members";
const SIZES = { keys: [1_000, 100_000], people: [1_000, 10_000] } as const;

interface ListRun {
  database: "PostgreSQL" | "PGlite";
  latencies: ListLatency[];
  loads: { list: string; size: number; result: LoadResult }[];
  directory: { users: boolean; members: boolean };
}

/**
 * Seeds the small sizes, measures, adds up to the large sizes, measures again and loads each list's
 * first page with 50 connections. The server is stopped while its database is seeded.
 */
async function listing(
  database: ListRun["database"],
  target: DbTarget,
  env: Record<string, string>,
  caller: Caller,
): Promise<ListRun> {
  const run: ListRun = { database, latencies: [], loads: [], directory: { users: false, members: false } };
  const spaceId = spaceIdOf(caller.meBody);
  let previous: [number, number] = [0, 0];
  for (const step of [0, 1] as const) {
    const keys = SIZES.keys[step];
    const people = SIZES.people[step];
    console.log(`${database}: seeding ${keys.toLocaleString("en-US")} keys of each kind, ${people} people…`);
    await withSql(target, (sql) =>
      seed(sql, [previous[0] + 1, keys], people > previous[1] ? [previous[1] + 1, people] : null),
    );
    previous = [keys, people];
    const server = await startServer(`Keydesk (${database})`, "server.ts", env);
    try {
      run.directory = await directoryEndpoints(server.url);
      for (const spec of listSpecs(spaceId, run.directory)) {
        const size = isPeopleList(spec) ? people : keys;
        console.log(`${database}: ${spec.name}, ${size.toLocaleString("en-US")}…`);
        run.latencies.push(await listLatency(server.url, caller.key, spec, size));
        if (step === 1) {
          const result = await load(`${server.url}${spec.path}`, caller.key, server.child.pid);
          run.loads.push({ list: spec.name, size, result });
        }
      }
    } finally {
      await server.stop();
    }
  }
  return run;
}

function spaceIdOf(meBody: string): string {
  const me = JSON.parse(meBody) as { organizations: { spaces: { id: string; name: string }[] }[] };
  const space = me.organizations.flatMap((o) => o.spaces).find((s) => s.name === "Production");
  if (!space) throw new Error("/v2/me: no space Production");
  return space.id;
}

// ── Report ──────────────────────────────────────────────────────────────────────────────────────

const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits);
const yes = (ok: boolean) => (ok ? "**met**" : "**not met**");
const pct = (a: LoadResult, b: LoadResult) => `${fmt((a.rps / b.rps) * 100, 0)} %`;

function machine(pgVersion: string, loadAverages: number[]): string {
  return [
    `- Machine: ${os.cpus().length} cores (\`nproc\` ${spawnSync("nproc").stdout.toString().trim()}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.cpus()[0]?.model ?? "unknown CPU"}`,
    `- Node ${process.version}; ${pgVersion}`,
    // The figures are only as quiet as the machine: other work on it shows up here.
    `- Load average (1 min) at the end of each loaded measurement: ${fmt(Math.min(...loadAverages), 2)}–` +
      `${fmt(Math.max(...loadAverages), 2)}; when the run ended (1/5/15 min): ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(" / ")}`,
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`npm run bench\` (autocannon, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s; ` +
      `load generator, servers and PostgreSQL on the same machine)` +
      `; Keydesk node flags \`${process.env.BENCH_NODE_OPTIONS ?? serveFlags().join(" ")}\``,
  ].join("\n");
}

interface Verification {
  yardstick: LoadResult;
  cachedPg: LoadResult;
  cachedPglite: LoadResult;
  barePg: LoadResult;
  uncachedPg: LoadResult;
  uncachedPglite: LoadResult;
}

function report(pgVersion: string, v: Verification, lists: ListRun[]): string {
  const loadRow = (name: string, r: LoadResult, vs: string) =>
    `| ${name} | ${fmt(r.rps, 0)} | ${vs} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.requests} | ${r.bad} | ` +
    `${fmt(r.rssIdleMiB, 0)} → ${fmt(r.rssPeakMiB, 0)} | ${fmt(r.loadAvg, 2)} |`;
  const allLoads = [
    v.yardstick,
    v.cachedPg,
    v.cachedPglite,
    v.barePg,
    v.uncachedPg,
    v.uncachedPglite,
    ...lists.flatMap((l) => l.loads.map((x) => x.result)),
  ];
  const keydeskLoads = [
    v.cachedPg,
    v.cachedPglite,
    v.uncachedPg,
    v.uncachedPglite,
    ...lists.flatMap((l) => l.loads.map((x) => x.result)),
  ];
  const peakRss = Math.max(...keydeskLoads.map((r) => r.rssPeakMiB ?? 0));
  const lines = [
    machine(
      pgVersion,
      allLoads.map((r) => r.loadAvg),
    ),
    "",
    "### Verification: `GET /v2/me` with a valid user key, 50 connections",
    "",
    "| server | req/s | of its yardstick | p50 ms | p99 ms | requests | non-2xx/errors | RSS MiB (idle → peak) | load avg |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    loadRow(
      "yardstick, cached: bare node:http, checksum + SHA-256 + Map + JSON.stringify",
      v.yardstick,
      "100 %",
    ),
    loadRow("Keydesk, PostgreSQL, cached", v.cachedPg, pct(v.cachedPg, v.yardstick)),
    loadRow("Keydesk, PGlite, cached", v.cachedPglite, pct(v.cachedPglite, v.yardstick)),
    loadRow("yardstick, uncached: bare node:http + pg, one indexed lookup", v.barePg, "100 %"),
    loadRow("Keydesk, PostgreSQL, `KEYDESK_KEY_CACHE=0`", v.uncachedPg, pct(v.uncachedPg, v.barePg)),
    loadRow("Keydesk, PGlite, `KEYDESK_KEY_CACHE=0`", v.uncachedPglite, pct(v.uncachedPglite, v.barePg)),
    "",
    "### Listing, `?limit=50`, one connection, sequential (200 requests each)",
    "",
    "| database | list | rows | first page p50 ms | p99 ms | page 90 % deep p50 ms | p99 ms |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...lists.flatMap((run) =>
      run.latencies.map(
        (l) =>
          `| ${run.database} | ${l.list} | ${l.size.toLocaleString("en-US")} | ${fmt(l.first.p50, 2)} | ` +
          `${fmt(l.first.p99, 2)} | ${fmt(l.deep.p50, 2)} | ${fmt(l.deep.p99, 2)} |`,
      ),
    ),
    "",
    "### Listing under load: first page, 50 connections, at the large size",
    "",
    "| database | list | rows | req/s | p50 ms | p99 ms | non-2xx/errors | RSS MiB (idle → peak) | load avg |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...lists.flatMap((run) =>
      run.loads.map(
        ({ list, size, result: r }) =>
          `| ${run.database} | ${list} | ${size.toLocaleString("en-US")} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ` +
          `${fmt(r.p99)} | ${r.bad} | ${fmt(r.rssIdleMiB, 0)} → ${fmt(r.rssPeakMiB, 0)} | ${fmt(r.loadAvg, 2)} |`,
      ),
    ),
    "",
    "### Targets",
    "",
  ];
  const ratio = (a: LoadResult, b: LoadResult) => a.rps / b.rps;
  for (const [name, r] of [
    ["PostgreSQL", v.cachedPg],
    ["PGlite", v.cachedPglite],
  ] as const) {
    lines.push(
      `- cached /v2/me on ${name} ≥ 60 % of the cached yardstick: ${pct(r, v.yardstick)} — ${yes(ratio(r, v.yardstick) >= 0.6)}`,
      `- cached /v2/me on ${name} p99 ≤ 10 ms: ${fmt(r.p99)} ms — ${yes(r.p99 <= 10)}`,
    );
  }
  lines.push(
    `- uncached /v2/me on PostgreSQL ≥ 60 % of the one-lookup yardstick: ${pct(v.uncachedPg, v.barePg)} — ` +
      `${yes(ratio(v.uncachedPg, v.barePg) >= 0.6)} (PGlite, reported: ${pct(v.uncachedPglite, v.barePg)})`,
  );
  for (const run of lists) {
    const names = [...new Set(run.latencies.map((l) => l.list))];
    for (const list of names) {
      const [small, large] = run.latencies.filter((l) => l.list === list);
      if (!small || !large) continue;
      for (const which of ["first", "deep"] as const) {
        const label = which === "first" ? "first page" : "deep page";
        const worst = Math.max(small[which].p50, large[which].p50);
        const growth = large[which].p50 / small[which].p50;
        lines.push(
          `- ${run.database}, ${list}, ${label}: p50 ${fmt(small[which].p50, 2)} ms at ` +
            `${small.size.toLocaleString("en-US")}, ${fmt(large[which].p50, 2)} ms at ` +
            `${large.size.toLocaleString("en-US")} (≤ 5 ms: ${yes(worst <= 5)}; ${fmt(growth, 2)}×, ` +
            `within 1.5×: ${yes(growth <= 1.5)})`,
        );
      }
    }
    if (run.database === "PostgreSQL") {
      for (const { list, result } of run.loads) {
        lines.push(
          `- PostgreSQL, ${list}, 50 connections ≥ 2,000 req/s: ${fmt(result.rps, 0)} — ${yes(result.rps >= 2000)}`,
        );
      }
    }
    if (!run.directory.users || !run.directory.members) {
      lines.push(
        `- ${run.database}: this build has no ${[
          run.directory.users ? null : "`GET /v2/users`",
          run.directory.members ? null : "`GET /v2/spaces/{id}/users`",
        ]
          .filter(Boolean)
          .join(" and ")} — not measured`,
      );
    }
  }
  lines.push(
    `- RSS of every Keydesk server under load ≤ 512 MiB: peak ${fmt(peakRss, 0)} MiB — ${yes(peakRss <= 512)}`,
  );
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

/** The production build of these very sources (scripts/build-stamp.ts), building it when stale. */
function ensureBuild(): void {
  if (buildIsCurrent(ROOT)) return;
  if (process.env.BENCH_BUILD === "0") {
    throw new Error("No current production build. Run `npm run build` first.");
  }
  console.log("The production build is missing or stale; running `npm run build` (up to 10 minutes)…");
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", "--if-changed"], {
    cwd: ROOT,
    stdio: "inherit",
    timeout: 600_000,
  });
  if (result.status !== 0 || !buildIsCurrent(ROOT)) {
    throw new Error("`npm run build` failed; fix the build, or run `npm run build`, then `npm run bench`.");
  }
}

/** Starts a Keydesk server, loads /v2/me with `key` (or a new key), stops it. */
async function keydeskMe(
  label: string,
  env: Record<string, string>,
  key?: string,
): Promise<{ result: LoadResult; caller: Caller }> {
  const server = await startServer(label, "server.ts", env);
  try {
    const caller = key
      ? { key, meBody: (await request(`${server.url}/v2/me`, { token: key })).body }
      : await signInAndCreateKey(server.url);
    console.log(`${label}: loading /v2/me…`);
    return { result: await load(`${server.url}/v2/me`, caller.key, server.child.pid), caller };
  } finally {
    await server.stop();
  }
}

async function bareMe(label: string, script: string, env: Record<string, string>, key: string) {
  const server = await startServer(label, script, env);
  try {
    console.log(`${label}: loading…`);
    return await load(`${server.url}/`, key, server.child.pid);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  ensureBuild();
  // A high limit for key changes: the bench creates keys through the API on every server it starts.
  const production = { NODE_ENV: "production", KEYS_CHANGES_PER_MINUTE: "1000000" };
  let database: TestDatabaseHandle | undefined;
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), "keydesk-bench-"));
  try {
    database = await openScratchPostgres(BASE_URL);
    const pgVersion = await serverVersion(database.url);
    console.log(`Scratch database ready (${pgVersion}).`);
    const pgEnv = { ...production, DATABASE_URL: database.url, KEYDESK_DEMO: "1" };
    const liteEnv = { ...production, DATABASE_URL: `pglite:${pgliteDir}` };

    // 1. Verification, cached: Keydesk (PostgreSQL), the same-work yardstick, Keydesk (PGlite).
    const cachedPg = await keydeskMe("Keydesk (PostgreSQL, cached)", pgEnv);
    const pgCaller = cachedPg.caller;
    const yardstick = await bareMe(
      "yardstick (cached)",
      "bench/bare-cached-server.ts",
      { BENCH_KEY: pgCaller.key, BENCH_BODY: pgCaller.meBody },
      pgCaller.key,
    );
    const cachedPglite = await keydeskMe("Keydesk (PGlite, cached)", liteEnv);
    const liteCaller = cachedPglite.caller;

    // 2. Verification, uncached: the one-lookup yardstick, Keydesk (PostgreSQL), Keydesk (PGlite).
    const barePg = await bareMe(
      "yardstick (one lookup)",
      "bench/bare-server.ts",
      { DATABASE_URL: database.url },
      pgCaller.key,
    );
    const uncachedPg = await keydeskMe(
      "Keydesk (PostgreSQL, uncached)",
      { ...pgEnv, KEYDESK_KEY_CACHE: "0" },
      pgCaller.key,
    );
    const uncachedPglite = await keydeskMe(
      "Keydesk (PGlite, uncached)",
      { ...liteEnv, KEYDESK_KEY_CACHE: "0" },
      liteCaller.key,
    );

    // 3. Listing on both databases.
    const lists = [
      await listing("PostgreSQL", { kind: "postgres", url: database.url }, pgEnv, pgCaller),
      await listing("PGlite", { kind: "pglite", dir: pgliteDir }, liteEnv, liteCaller),
    ];

    const block = report(
      pgVersion,
      {
        yardstick,
        cachedPg: cachedPg.result,
        cachedPglite: cachedPglite.result,
        barePg,
        uncachedPg: uncachedPg.result,
        uncachedPglite: uncachedPglite.result,
      },
      lists,
    );
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
