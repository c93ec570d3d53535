/**
 * What a change costs a cached `GET /v2/me`, measured in-process: two keys APIs over one PGlite database
 * with the demo directory, one with the change ("with") and one without, asked in interleaved blocks of
 * 4,000 requests with one user key, timing CPU (not wall time) so other work on the machine moves both
 * alike. ROUNDS (default 20) blocks each way; prints the medians per request (µs) and the change.
 * Used by bench/usage-cost.ts and bench/metrics-cost.ts.
 */
import { openDatabase, type Db } from "../lib/db/client";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { systemClock } from "../lib/clock";
import { VerificationCache } from "../lib/keys/verification-cache";
import type { createApi, CreateApiOptions } from "../lib/api/app";

type Api = ReturnType<typeof createApi>;

/** The options both APIs share: the database, a live verification cache of their own, no throttle. */
export function benchOptions(db: Db): CreateApiOptions {
  const cache = new VerificationCache({ clock: systemClock });
  cache.confirmLive(1e12);
  return {
    db,
    clock: systemClock,
    config: { failedAuthPerMinute: 0 },
    verificationCache: cache,
    usageFlushMs: 0,
  };
}

export async function compareCachedMe(make: (db: Db) => { with: Api; without: Api }): Promise<void> {
  const handle = await openDatabase({ kind: "pglite", dataDir: null });
  await seedDemoDirectory(handle.db);
  const apis = make(handle.db);
  const session = await apis.without.request("/v2/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@example.com", password: process.env.DEMO_PASSWORD }),
  });
  const { token } = (await session.json()) as { token: string };
  const created = await apis.without.request("/v2/api-keys", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "bench" }),
  });
  const { key } = (await created.json()) as { key: string };
  const headers = { authorization: `Bearer ${key}`, "user-agent": "autocannon" };
  const block = async (app: Api, n: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const res = await app.request("/v2/me", { headers });
      if (res.status !== 200) throw new Error(String(res.status));
      await res.arrayBuffer();
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / n;
  };
  await block(apis.with, 5000);
  await block(apis.without, 5000);
  // BLOCK (default 4000) requests a side a round.
  const BLOCK = Number(process.env.BLOCK ?? 4000);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < Number(process.env.ROUNDS ?? 20); round++) {
    if (round % 2) {
      a.push(await block(apis.with, BLOCK));
      b.push(await block(apis.without, BLOCK));
    } else {
      b.push(await block(apis.without, BLOCK));
      a.push(await block(apis.with, BLOCK));
    }
  }
  const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
  const at = (xs: number[], q: number) => sorted(xs)[Math.floor((xs.length - 1) * q)] ?? Number.NaN;
  const median = (xs: number[]) => at(xs, 0.5);
  // Each round's pair (its two blocks ran back to back) as a ratio: the machine's slower and faster
  // moments fall on both sides of it, where the medians of each side can come from different moments.
  const ratios = a.map((x, i) => x / (b[i] ?? Number.NaN) - 1);
  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(
    JSON.stringify({
      with_us: median(a).toFixed(2),
      without_us: median(b).toFixed(2),
      change: percent(median(a) / median(b) - 1),
      paired_change: percent(median(ratios)),
      paired_quartiles: [percent(at(ratios, 0.25)), percent(at(ratios, 0.75))],
    }),
  );
  await apis.with.close();
  await apis.without.close();
  await handle.close();
}
