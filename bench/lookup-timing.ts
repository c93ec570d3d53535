/**
 * `npx tsx bench/lookup-timing.ts`: does Check a key (`POST /v2/api-keys/lookup`) answer a real key the
 * caller may not see any slower or faster than a key that does not exist? In-process requests (no
 * network noise) on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set. Riley (read-only, not in
 * Experiments) checks, interleaved in a shuffled order: Max's user key, Ada's service key in
 * Experiments, a random well-formed key and a random string. Prints median, p90 and mean per case.
 *
 * Env: LOOKUP_TIMING_N (lookups per case, default 200).
 */
import { performance } from "node:perf_hooks";
import { createHarness, type ApiHarness } from "../lib/testing/api-harness";
import { testDatabases } from "../lib/testing/test-databases";
import { generateKey } from "../lib/keys/secrets";

const N = Number(process.env.LOOKUP_TIMING_N ?? 200);
const WARMUP = 50;

async function created(harness: ApiHarness, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await harness.request("POST", "/v2/api-keys", { token, body });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

async function experimentsId(harness: ApiHarness, token: string): Promise<string> {
  const res = await harness.request("GET", "/v2/me", { token });
  const me = (await res.json()) as { organizations: { spaces: { id: string; name: string }[] }[] };
  const space = me.organizations.flatMap((o) => o.spaces).find((s) => s.name === "Experiments");
  if (!space) throw new Error("no Experiments space");
  return space.id;
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { median: at(0.5), p90: at(0.9), mean };
};

for (const database of testDatabases()) {
  const harness = await createHarness(database);
  try {
    const [admin, member, riley] = await Promise.all([
      harness.signIn("admin"),
      harness.signIn("member"),
      harness.signIn("readOnly"),
    ]);
    const cases: Record<string, () => string> = {};
    const userKey = await created(harness, member, { name: "timing user key" });
    const serviceKey = await created(harness, admin, {
      name: "timing service key",
      key_type: "service",
      space_id: await experimentsId(harness, admin),
    });
    cases["someone else's user key"] = () => userKey;
    cases["a service key in a space not theirs"] = () => serviceKey;
    cases["a random well-formed key"] = () => generateKey();
    cases["a random string"] = () => `not-a-key-${Math.random().toString(36).slice(2)}`;

    const names = Object.keys(cases);
    const samples = new Map(names.map((n) => [n, [] as number[]]));
    const order: string[] = [];
    for (let i = 0; i < N + WARMUP; i++) order.push(...names);
    // Shuffled, so drift on a busy machine falls on every case alike.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j] as string, order[i] as string];
    }
    const seen = new Map<string, number>();
    for (const name of order) {
      const key = (cases[name] as () => string)();
      const started = performance.now();
      const res = await harness.request("POST", "/v2/api-keys/lookup", { token: riley, body: { key } });
      await res.arrayBuffer();
      const elapsed = performance.now() - started;
      if (res.status !== 404) throw new Error(`${name}: ${res.status}`);
      const count = (seen.get(name) ?? 0) + 1;
      seen.set(name, count);
      if (count > WARMUP) samples.get(name)?.push(elapsed);
    }
    console.log(`\n${database.name}: ${N} lookups per case (after ${WARMUP} warm-up), ms`);
    console.log("| case | median | p90 | mean |\n|---|---|---|---|");
    for (const name of names) {
      const s = stats(samples.get(name) ?? []);
      console.log(`| ${name} | ${s.median.toFixed(3)} | ${s.p90.toFixed(3)} | ${s.mean.toFixed(3)} |`);
    }
  } finally {
    await harness.close();
  }
}
