/**
 * Requests per second of a cached `GET /v2/me` over real HTTP, against two server.ts processes run
 * side by side on their own embedded databases (ports 3408 and 3409), each with its output to a file:
 * one with the request log on (LOG_FORMAT=json at the default level) and one with it off
 * (LOG_LEVEL=warn). ROUNDS (default 4) rounds of
 * DURATION (default 5) s each way, alternating; prints the medians and the median of each round's
 * ratio, and each server's own CPU time per request (from /proc: all its threads, user and system,
 * the writes' included). SAME=1 runs both without request lines (an A/A test). Needs a production
 * build.
 *
 *   ROUNDS=6 npx tsx bench/logs-http-cost.ts
 */
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { REPO_ROOT } from "../lib/testing/spawn-server";

/** server.ts in production mode on `port`, its output to `logFile` (as to a collector), once ready. */
async function startServer(port: number, env: Record<string, string>, logFile: string) {
  // OUT=null: the output to /dev/null (the lines spelled and written, no file system behind them).
  const out = openSync(process.env.OUT === "null" ? "/dev/null" : logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), ...env },
    stdio: ["ignore", out, out],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { baseUrl, pid: child.pid ?? 0, stop: () => child.kill("SIGTERM") };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`server on ${port} did not become ready; see ${logFile}`);
}

async function userKey(base: string): Promise<string> {
  const session = await fetch(`${base}/v2/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: DEMO_USERS.member.email, password: DEMO_PASSWORD }),
  });
  const { token } = (await session.json()) as { token: string };
  const created = await fetch(`${base}/v2/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "bench" }),
  });
  return ((await created.json()) as { key: string }).key;
}

async function main() {
  const dirs = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), "keydesk-logs-http-")));
  const env = (dir: string, level: string) => ({
    DATABASE_URL: `pglite:${dir}`,
    KEYDESK_DEMO: "1",
    LOG_FORMAT: "json",
    LOG_LEVEL: level,
    KEYS_CHANGES_PER_MINUTE: "1000",
  });
  const logDir = mkdtempSync(path.join(tmpdir(), "keydesk-logs-http-out-"));
  const logs = ["on", "off"].map((name) => path.join(logDir, `${name}.log`));
  const [on, off] = [
    // SAME=1: both without request lines (the comparison's own noise, an A/A test).
    await startServer(3408, env(dirs[0] ?? "", process.env.SAME === "1" ? "warn" : "info"), logs[0] ?? ""),
    await startServer(3409, env(dirs[1] ?? "", "warn"), logs[1] ?? ""),
  ];
  try {
    const keys = { on: await userKey(on.baseUrl), off: await userKey(off.baseUrl) };
    // The server process's CPU time (all its threads, user and system) from /proc, in µs.
    const cpuOf = (pid: number) => {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100);
    };
    const run = async (server: typeof on, key: string) => {
      const before = cpuOf(server.pid);
      const result = await autocannon({
        url: `${server.baseUrl}/v2/me`,
        connections: 10,
        duration: Number(process.env.DURATION ?? 5),
        headers: { authorization: `Bearer ${key}` },
      });
      return { rps: result.requests.average, cpu: (cpuOf(server.pid) - before) / result.requests.total };
    };
    await run(on, keys.on);
    await run(off, keys.off);
    const a: number[] = [];
    const b: number[] = [];
    const aCpu: number[] = [];
    const bCpu: number[] = [];
    const side = async (withLog: boolean) => {
      const { rps, cpu } = await run(withLog ? on : off, withLog ? keys.on : keys.off);
      (withLog ? a : b).push(rps);
      (withLog ? aCpu : bCpu).push(cpu);
    };
    for (let round = 0; round < Number(process.env.ROUNDS ?? 4); round++) {
      await side(round % 2 === 1);
      await side(round % 2 === 0);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
    // Each round's pair, run back to back, as a ratio (bench/cached-me-cost.ts says why).
    const paired = (xs: number[], ys: number[]) =>
      `${(median(xs.map((x, i) => x / (ys[i] ?? Number.NaN) - 1)) * 100).toFixed(1)} %`;
    console.log(
      JSON.stringify({
        with_log_rps: Math.round(median(a)),
        without_rps: Math.round(median(b)),
        change: `${((median(a) / median(b) - 1) * 100).toFixed(1)} %`,
        paired_change: paired(a, b),
        // The servers' own CPU per request (µs), the steadier figure on a machine shared with the load.
        with_log_cpu_us: median(aCpu).toFixed(1),
        without_cpu_us: median(bCpu).toFixed(1),
        paired_cpu_change: paired(aCpu, bCpu),
        log_bytes: process.env.OUT === "null" ? null : statSync(logs[0] ?? "").size,
      }),
    );
  } finally {
    on.stop();
    off.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const dir of [...dirs, logDir]) rmSync(dir, { recursive: true, force: true });
  }
}
void main();
