/**
 * CPU per in-process cached `GET /v2/me` with Prometheus metrics on (lib/server/metrics.ts) against
 * the same API without them, in one process over one PGlite database, in interleaved blocks of 4,000
 * requests so that other work on the machine moves both alike. CPU time, not wall time.
 *
 *   DEMO_PASSWORD=keydesk-demo ROUNDS=40 npx tsx bench/metrics-cost.ts
 *
 * Prints the medians per request (µs) and the change.
 */
import { openDatabase } from "../lib/db/client";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { systemClock } from "../lib/clock";
import { VerificationCache } from "../lib/keys/verification-cache";
import { createApi } from "../lib/api/app";
import { createMetrics } from "../lib/server/metrics";

async function main() {
  const handle = await openDatabase({ kind: "pglite", dataDir: null });
  await seedDemoDirectory(handle.db);
  const make = (withMetrics: boolean) => {
    const cache = new VerificationCache({ clock: systemClock });
    cache.confirmLive(1e12);
    return createApi({
      db: handle.db,
      clock: systemClock,
      config: { failedAuthPerMinute: 0 },
      verificationCache: cache,
      usageFlushMs: 0,
      metrics: withMetrics ? createMetrics({ db: handle.db }) : undefined,
    });
  };
  const withMetrics = make(true);
  const without = make(false);
  const session = await without.request("/v2/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@example.com", password: process.env.DEMO_PASSWORD }),
  });
  const { token } = (await session.json()) as { token: string };
  const created = await without.request("/v2/api-keys", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "bench" }),
  });
  const { key } = (await created.json()) as { key: string };
  const headers = { authorization: `Bearer ${key}`, "user-agent": "autocannon" };
  const block = async (app: typeof without, n: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const res = await app.request("/v2/me", { headers });
      if (res.status !== 200) throw new Error(String(res.status));
      await res.arrayBuffer();
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / n;
  };
  await block(withMetrics, 5000);
  await block(without, 5000);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < Number(process.env.ROUNDS ?? 20); round++) {
    if (round % 2) {
      a.push(await block(withMetrics, 4000));
      b.push(await block(without, 4000));
    } else {
      b.push(await block(without, 4000));
      a.push(await block(withMetrics, 4000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
  console.log(
    JSON.stringify({
      with_metrics_us: median(a).toFixed(2),
      without_us: median(b).toFixed(2),
      change: `${((median(a) / median(b) - 1) * 100).toFixed(1)} %`,
    }),
  );
  await withMetrics.close();
  await without.close();
  await handle.close();
}
void main();
