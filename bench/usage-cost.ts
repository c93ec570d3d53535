/**
 * CPU per in-process `GET /v2/me` with a cached user key, the API with key usage recording (this
 * checkout) against the same API without it (argv[2]: a checkout whose createApi leaves `usage` out of
 * verifyDeps), interleaved in blocks so machine load hits both alike. CPU time, not wall time, so other work
 * on the machine moves both alike.
 *
 *   git worktree add --detach ../without && cp -al node_modules ../without/
 *   # in ../without/lib/api/app.ts: `const verifyDeps = { db: deps.db, clock, cache };` (no `usage`)
 *   DEMO_PASSWORD=keydesk-demo ROUNDS=40 npx tsx bench/usage-cost.ts ../without
 *
 * ROUNDS (default 20) blocks of 4,000 requests each way; prints the medians per request.
 */
import path from "node:path";
import { openDatabase } from "../lib/db/client";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { systemClock } from "../lib/clock";
import { VerificationCache } from "../lib/keys/verification-cache";
import { createApi as createWith } from "../lib/api/app";

async function main() {
  const other = path.resolve(process.argv[2] ?? "");
  const { createApi: createWithout } = (await import(path.join(other, "lib/api/app.ts"))) as {
    createApi: typeof createWith;
  };
  const handle = await openDatabase({ kind: "pglite", dataDir: null });
  await seedDemoDirectory(handle.db);
  const mk = (create: typeof createWith) => {
    const cache = new VerificationCache({ clock: systemClock });
    cache.confirmLive(1e12);
    return create({
      db: handle.db,
      clock: systemClock,
      config: { failedAuthPerMinute: 0 },
      verificationCache: cache,
      usageFlushMs: 0,
    });
  };
  const withUsage = mk(createWith);
  const without = mk(createWithout);
  const session = await withUsage.request("/v2/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@example.com", password: process.env.DEMO_PASSWORD }),
  });
  const { token } = (await session.json()) as { token: string };
  const created = await withUsage.request("/v2/api-keys", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "bench" }),
  });
  const { key } = (await created.json()) as { key: string };
  const headers = { authorization: `Bearer ${key}`, "user-agent": "autocannon" };
  const block = async (app: typeof withUsage, n: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const res = await app.request("/v2/me", { headers });
      if (res.status !== 200) throw new Error(String(res.status));
      await res.arrayBuffer();
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / n;
  };
  await block(withUsage, 5000);
  await block(without, 5000);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < Number(process.env.ROUNDS ?? 20); round++) {
    if (round % 2) {
      a.push(await block(withUsage, 4000));
      b.push(await block(without, 4000));
    } else {
      b.push(await block(without, 4000));
      a.push(await block(withUsage, 4000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
  console.log(
    JSON.stringify({
      with_us: median(a).toFixed(2),
      without_us: median(b).toFixed(2),
      change: `${((median(a) / median(b) - 1) * 100).toFixed(1)} %`,
      a: a.map((x) => x.toFixed(1)),
      b: b.map((x) => x.toFixed(1)),
    }),
  );
  await withUsage.close();
  await without.close();
  await handle.close();
}
void main();
