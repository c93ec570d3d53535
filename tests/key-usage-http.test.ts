import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { openDatabase } from "../lib/db/client";
import { apiKeyAddresses } from "../lib/db/schema";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { spawnServer } from "../lib/testing/spawn-server";
import { openScratchPostgres, testDatabases } from "../lib/testing/test-databases";
import { decodeId } from "../lib/domain/ids";
import type { ApiKeyDetailsJson } from "../lib/schemas/api-key-details";

// lifecycle.md §1 over real HTTP: a real server behind one trusted proxy (TRUST_PROXY_HOPS=1) records
// the client addresses of a key's uses in batches — on its timer while it runs, and at shutdown.

interface Store {
  url: string;
  /** The database's rows once the server has stopped (PGlite: one process at a time). */
  open(): ReturnType<typeof openDatabase>;
  drop(): Promise<void>;
}

async function store(name: "pglite" | "postgres"): Promise<Store> {
  if (name === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), "keydesk-usage-"));
    return {
      url: `pglite:${dir}`,
      open: () => openDatabase({ kind: "pglite", dataDir: dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const handle = await openScratchPostgres(process.env.TEST_DATABASE_URL ?? "");
  return {
    url: handle.url,
    open: async () => ({ ...handle, close: async () => undefined }),
    drop: () => handle.close(),
  };
}

describe.each(testDatabases().map((d) => d.name))("key usage over real HTTP (%s)", (name) => {
  it(
    "two client addresses through the trusted proxy, with counts: on the timer, then at shutdown",
    {
      timeout: 120_000,
    },
    async () => {
      const db = await store(name);
      const server = await spawnServer({
        env: {
          DATABASE_URL: db.url,
          KEYDESK_DEMO: "1",
          TRUST_PROXY_HOPS: "1",
          KEYS_CHANGES_PER_MINUTE: "1000",
        },
      });
      try {
        const base = server.baseUrl;
        const session = await fetch(`${base}/v2/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: DEMO_USERS.member.email, password: DEMO_PASSWORD }),
        });
        const { token } = (await session.json()) as { token: string };
        const created = await fetch(`${base}/v2/api-keys`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ name: "usage over http" }),
        });
        const key = (await created.json()) as { id: string; key: string };
        // What a proxy in front passes on: whatever the client claimed, then the address it saw.
        const verifyFrom = async (address: string, userAgent: string) => {
          const res = await fetch(`${base}/v2/me`, {
            headers: {
              authorization: `Bearer ${key.key}`,
              "x-forwarded-for": `10.9.9.9, ${address}`,
              "user-agent": userAgent,
            },
          });
          expect(res.status).toBe(200);
          await res.arrayBuffer();
        };
        for (let i = 0; i < 3; i++) await verifyFrom("203.0.113.7", "ingest/1.0");
        for (let i = 0; i < 2; i++) await verifyFrom("198.51.100.23", "python-requests/2.32");

        // The running server writes them on its timer (every 10 s), not per request.
        const shown = await vi.waitFor(
          async () => {
            const res = await fetch(`${base}/v2/api-keys/${encodeURIComponent(key.id)}`, {
              headers: { authorization: `Bearer ${token}` },
            });
            const body = (await res.json()) as ApiKeyDetailsJson;
            expect(body.usage?.addresses).toHaveLength(2);
            return body.usage?.addresses ?? [];
          },
          { timeout: 30_000, interval: 500 },
        );
        expect(Object.fromEntries(shown.map((a) => [a.address, [a.requests, a.user_agent]]))).toEqual({
          "203.0.113.7": [3, "ingest/1.0"],
          "198.51.100.23": [2, "python-requests/2.32"],
        });

        // Uses after the last timed write are written when the server stops.
        await verifyFrom("198.51.100.23", "python-requests/2.33");
        await verifyFrom("192.0.2.1", "curl/8.5");
        expect(await server.stop()).toBe(0);

        const handle = await db.open();
        try {
          const rows = await handle.db
            .select()
            .from(apiKeyAddresses)
            .where(eq(apiKeyAddresses.apiKeyId, decodeId("ApiKey", key.id) ?? ""))
            .orderBy(desc(apiKeyAddresses.requests), apiKeyAddresses.address);
          expect(rows.map((r) => [r.address, r.requests, r.userAgent])).toEqual([
            ["198.51.100.23", 3, "python-requests/2.33"],
            ["203.0.113.7", 3, "ingest/1.0"],
            ["192.0.2.1", 1, "curl/8.5"],
          ]);
        } finally {
          await handle.close();
        }
      } finally {
        await server.stop();
        await db.drop();
      }
    },
  );
});
