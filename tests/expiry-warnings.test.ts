/**
 * lifecycle.md §5 across processes: two Keydesk servers on one PostgreSQL database, each scanning every
 * second, and one of them restarted — each key's warning reaches the real SMTP server once.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog } from "../lib/db/schema";
import { seedDemoDirectory } from "../lib/directory/demo-seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { mailSubject, mailText, startSmtp, type SmtpInbox } from "../lib/testing/smtp-inbox";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";

const HOUR = 3_600_000;
const PUBLIC_URL = "https://keys.example.test";
const base = process.env.TEST_DATABASE_URL;

/** How many scans a server has finished (it logs one line per scan). */
const scans = (server: SpawnedServer) => server.output().split('"msg":"expiry scan"').length - 1;

/** Resolves once each server has finished `more` scans after now: no fixed sleep. */
async function moreScans(servers: SpawnedServer[], more: number) {
  const from = servers.map(scans);
  await vi.waitFor(
    () => servers.forEach((server, i) => expect(scans(server)).toBeGreaterThanOrEqual((from[i] ?? 0) + more)),
    { timeout: 30_000, interval: 100 },
  );
}

describe.skipIf(!base)("expiry warnings with two instances on one PostgreSQL, and a restart", () => {
  let smtp: SmtpInbox;
  let database: TestDatabaseHandle;
  const servers: SpawnedServer[] = [];
  let env: Record<string, string>;

  const start = async () => {
    const server = await spawnServer({ env });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    database = await openScratchPostgres(base ?? "");
    await seedDemoDirectory(database.db);
    env = {
      DATABASE_URL: database.url,
      KEYDESK_DEMO: "0",
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      KEYDESK_EXPIRY_SCAN_INTERVAL_S: "1",
    };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database.close();
    await smtp.close();
  });

  it(
    "sends each warning once: 6 days → the 7-day warning, 20 hours → the 1-day warning",
    { timeout: 240_000 },
    async () => {
      const [a, b] = await Promise.all([start(), start()]);
      if (!a || !b) throw new Error("servers did not start");
      const call = async (
        server: SpawnedServer,
        method: string,
        path: string,
        token?: string,
        body?: unknown,
      ) => {
        const res = await fetch(`${server.baseUrl}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body ? { "content-type": "application/json" } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
        return JSON.parse(text) as Record<string, unknown>;
      };
      const signIn = async (user: keyof typeof DEMO_USERS) =>
        String(
          (
            await call(a, "POST", "/v2/sessions", undefined, {
              email: DEMO_USERS[user].email,
              password: DEMO_PASSWORD,
            })
          ).token,
        );
      const admin = await signIn("admin");
      const member = await signIn("member");
      await call(b, "PUT", "/v2/key-policy", admin, { warning_days: [7, 1] });
      const at = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
      const six = await call(a, "POST", "/v2/api-keys", member, { name: "six days", expires_at: at(144) });
      await call(b, "POST", "/v2/api-keys", member, { name: "twenty hours", expires_at: at(20) });

      await vi.waitFor(() => expect(smtp.inbox).toHaveLength(2), { timeout: 30_000, interval: 100 });
      expect(smtp.inbox.map((m) => mailSubject(m)).sort()).toEqual([
        'Your API key "six days" expires in 6 days',
        'Your API key "twenty hours" expires in 1 day',
      ]);
      expect(smtp.inbox.every((m) => m.to.join() === DEMO_USERS.member.email)).toBe(true);
      const sixMail = smtp.inbox.find((m) => mailSubject(m)?.includes("six days"));
      expect(mailText(sixMail)).toContain(
        `${PUBLIC_URL}/settings/api-keys/${encodeURIComponent(String(six.id))}`,
      );

      // Both instances go on scanning: nothing more.
      await moreScans([a, b], 3);
      expect(smtp.inbox).toHaveLength(2);

      // A restart of one instance: it scans again from scratch, and still nothing more.
      await a.stop();
      const again = await start();
      await moreScans([again, b], 3);
      expect(smtp.inbox).toHaveLength(2);
      const audit = await database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, "api_key.expiry_warning_sent"));
      expect(audit.map((r) => r.details?.threshold_days).sort()).toEqual([1, 7]);
      // The logs name keys by id and never carry a secret.
      for (const server of [a, b, again]) expect(server.output()).not.toMatch(/ak-[0-9a-f]{8}-/);
    },
  );
});
