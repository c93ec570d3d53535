/**
 * `npm run bench:memory`: the server's resident memory under load. The production server is started
 * with the same Node flags as `npm run serve` (its heap limit), then 50 connections for 60 s send key
 * verifications (GET /v2/me with an API key) and, one request in ten, key creates. RSS is read from
 * /proc every 200 ms. Fails (exit 1) if the peak reaches 512 MiB on PostgreSQL, on PGlite's first start
 * on a new data directory, or on PGlite restarted on that directory.
 *
 * Env: MEMORY_DATABASES=postgres,pglite (default both; postgres needs BENCH_DATABASE_URL or
 * TEST_DATABASE_URL), BENCH_DURATION (seconds, default 60), PORT range not needed (port 0).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DURATION_S = Number(process.env.BENCH_DURATION ?? 60);
const CONNECTIONS = 50;
const LIMIT_MIB = 512;
const DEMO = { email: "admin@example.com", password: "keydesk-demo" };

/** The Node flags `npm run serve` starts the server with (the heap limit lives there). */
function serveFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const match = /\bnode((?: --\S+)*) --import tsx server\.ts/.exec(pkg.scripts.serve ?? "");
  if (!match) throw new Error("package.json's serve script does not run `node … --import tsx server.ts`");
  return (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
}

function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...serveFlags(), "--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not start within 120 s:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready on http:\/\/\S+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function measure(label: string, env: Record<string, string>) {
  const { child, url } = await startServer(env);
  const pid = child.pid ?? -1;
  try {
    const { token } = await json<{ token: string }>(
      await fetch(`${url}/v2/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(DEMO),
      }),
    );
    const { key } = await json<{ key: string }>(
      await fetch(`${url}/v2/api-keys`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: "memory bench" }),
      }),
    );
    const idle = rssMiB(pid);
    let peak = idle ?? 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(pid) ?? 0);
    }, 200);
    const verify = { method: "GET" as const, path: "/v2/me", headers: { authorization: `Bearer ${key}` } };
    const create = {
      method: "POST" as const,
      path: "/v2/api-keys",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "memory bench create" }),
    };
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [...Array.from({ length: 9 }, () => verify), create],
    });
    clearInterval(sampler);
    const end = rssMiB(pid);
    return {
      label,
      requests: result.requests.total,
      rps: Math.round(result.requests.average),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      idle: Math.round(idle ?? 0),
      peak: Math.round(peak),
      end: Math.round(end ?? 0),
    };
  } finally {
    // Wait for the exit: the next run may open the same embedded database, whose lock this one holds.
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

async function main() {
  const wanted = (process.env.MEMORY_DATABASES ?? "postgres,pglite").split(",");
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  console.log(`Node flags of \`npm run serve\`: ${serveFlags().join(" ") || "(none)"}`);
  if (wanted.includes("postgres")) {
    if (!base) throw new Error("set TEST_DATABASE_URL or BENCH_DATABASE_URL for the PostgreSQL run");
    const scratch: TestDatabaseHandle = await openScratchPostgres(base);
    try {
      results.push(
        await measure("PostgreSQL", {
          DATABASE_URL: scratch.url,
          KEYDESK_DEMO: "1",
          KEYS_CHANGES_PER_MINUTE: "1000000",
        }),
      );
    } finally {
      await scratch.close();
    }
  }
  if (wanted.includes("pglite")) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keydesk-memory-"));
    try {
      const env = { DATABASE_URL: `pglite:${dir}`, KEYS_CHANGES_PER_MINUTE: "1000000" };
      // The first start creates the database (PGlite's initdb, in a child process since its
      // WebAssembly memory would otherwise stay with the server): held to the same budget.
      results.push(await measure("PGlite, first start on a new data directory", env));
      results.push(await measure("PGlite, restarted on its data directory", env));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s, 9 verifications : 1 create\n`);
  console.log(
    "| database | requests | req/s | non-2xx | errors | RSS idle MiB | RSS peak MiB | RSS end MiB |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.requests} | ${r.rps} | ${r.non2xx} | ${r.errors} | ${r.idle} | ${r.peak} | ${r.end} |`,
    );
  }
  const over = results.filter((r) => r.peak >= LIMIT_MIB);
  if (over.length) {
    console.error(`RSS reached ${LIMIT_MIB} MiB on ${over.map((r) => r.label).join(", ")}`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
