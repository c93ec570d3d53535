/**
 * Does Forgot password's answer time tell whether an email belongs to someone?
 * `npx tsx bench/password-reset-timing.ts` (PostgreSQL too when TEST_DATABASE_URL is set).
 *
 * Over real HTTP to the keys API with a real SMTP receiver, on the demo directory: ROUNDS rounds,
 * each one request for an ACTIVE person's email, one for an unknown email and one for a blocked
 * person's, in an order that rotates, so the background work one request queues (lookup, link, audit
 * row, email) lands on the others alike. The rate limits are raised for the measurement. Prints the
 * median, 90th percentile and mean answer time of each kind.
 */
import { DEMO_USERS } from "../lib/directory/demo-seed";
import { createHarness } from "../lib/testing/api-harness";
import { serveOverHttp } from "../lib/testing/serve-api";
import { startSmtp } from "../lib/testing/smtp-inbox";
import { testDatabases } from "../lib/testing/test-databases";

const ROUNDS = Number(process.env.ROUNDS ?? 300);
const LOOSE = { limit: 1_000_000, windowMs: 60 * 60 * 1000 };

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, mean ${mean.toFixed(2)} ms (n=${sorted.length})`;
}

async function measure(database: ReturnType<typeof testDatabases>[number]): Promise<void> {
  const smtp = await startSmtp();
  const harness = await createHarness(database, {
    config: {
      smtpUrl: smtp.url,
      publicUrl: "https://keys.example.test",
      passwordResets: { perAddress: LOOSE, perEmail: LOOSE },
    },
  });
  const server = await serveOverHttp(harness.app);
  try {
    const admin = await harness.signIn("admin");
    const riley = await harness.request("GET", `/v2/users?email=${DEMO_USERS.readOnly.email}`, {
      token: admin,
    });
    const rileyId = ((await riley.json()) as { users: { id: string }[] }).users[0]?.id ?? "";
    await harness.request("DELETE", `/v2/users/${encodeURIComponent(rileyId)}`, { token: admin });

    const kinds = {
      active: () => DEMO_USERS.member.email,
      unknown: () => `nobody-${Math.random().toString(36).slice(2)}@example.com`,
      blocked: () => DEMO_USERS.readOnly.email,
    };
    const names = Object.keys(kinds) as (keyof typeof kinds)[];
    const times: Record<keyof typeof kinds, number[]> = { active: [], unknown: [], blocked: [] };
    const ask = async (email: string) => {
      const started = performance.now();
      const res = await fetch(`${server.baseUrl}/v2/password-resets`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`answer ${res.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await ask(kinds.unknown()); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < names.length; k++) {
        const kind = names[(round + k) % names.length] as keyof typeof kinds;
        times[kind].push(await ask(kinds[kind]()));
      }
    }
    await harness.app.passwordResetsSettled();
    console.log(`\n=== ${database.name}: ${ROUNDS} rounds over HTTP`);
    for (const kind of names) console.log(`${kind.padEnd(8)} ${summary(times[kind])}`);
    console.log(`emails sent: ${smtp.inbox.length} (all to ${DEMO_USERS.member.email})`);
  } finally {
    await server.close();
    await harness.close();
    await smtp.close();
  }
}

async function main() {
  for (const database of testDatabases()) await measure(database);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
