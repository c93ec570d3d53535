/**
 * The webhook queue survives a restart of server.ts (lifecycle.md §5): an event whose delivery failed
 * while one server ran is delivered, with the same event id, by the next server on the same database
 * — its worker starts with the server and stops at shutdown. On PGlite (a data folder) and PostgreSQL.
 */
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { serverDatabases } from "../lib/testing/client-runs";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { spawnServer } from "../lib/testing/spawn-server";
import { startReceiver } from "../lib/testing/webhook-receiver";

const databases = serverDatabases("keydesk-webhooks-restart", { demo: true });

describe.each(databases)("the webhook queue across a restart on $name", (database) => {
  it(
    "delivers after the restart what failed before it, with the same event id",
    { timeout: 240_000 },
    async () => {
      const started = await database.start();
      onTestFinished(started.cleanup);
      const receiver = await startReceiver(Array.from({ length: 100 }, () => 500));
      const env = {
        ...started.env,
        KEYDESK_WEBHOOK_ALLOW_HTTP: "1",
        KEYDESK_WEBHOOK_ALLOW_PRIVATE: "1",
        KEYDESK_WEBHOOK_RETRY_BASE_MS: "1500",
        KEYDESK_WEBHOOK_POLL_MS: "100",
      };
      let server = await spawnServer({ env });
      try {
        const call = async (method: string, urlPath: string, token?: string, body?: unknown) => {
          const res = await fetch(server.baseUrl + urlPath, {
            method,
            headers: {
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...(body !== undefined ? { "content-type": "application/json" } : {}),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await res.text();
          return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
        };
        const signIn = async () =>
          (
            await call("POST", "/v2/sessions", undefined, {
              email: DEMO_USERS.admin.email,
              password: DEMO_PASSWORD,
            })
          ).json.token as string;
        let token = await signIn();
        const me = (await call("GET", "/v2/me", token)).json as {
          organizations: { id: string; name: string; spaces: { id: string; name: string }[] }[];
        };
        const platform = me.organizations.find((o) => o.name === "Platform");
        const production = platform?.spaces.find((s) => s.name === "Production");
        const webhook = await call("POST", "/v2/webhooks", token, {
          organization_id: platform?.id,
          name: "Across restarts",
          url: receiver.url,
        });
        expect(webhook.status).toBe(201);
        const webhookId = String(webhook.json.id);
        expect(
          (
            await call("POST", "/v2/webhook-subscriptions", token, {
              webhook_id: webhookId,
              source_type: "SPACE",
              source_id: production?.id,
              event: "API_KEY_CREATED",
            })
          ).status,
        ).toBe(201);
        const key = await call("POST", "/v2/api-keys", token, {
          name: "restart key",
          key_type: "service",
          space_id: production?.id,
        });
        expect(key.status).toBe(201);

        // The first server tries, and the receiver refuses.
        await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThanOrEqual(1), {
          timeout: 30_000,
          interval: 50,
        });
        expect(await server.stop()).toBe(0);
        const failedBefore = receiver.received.length;
        receiver.answers.length = 0; // from now on: 200

        server = await spawnServer({ env });
        token = await signIn();
        await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThan(failedBefore), {
          timeout: 60_000,
          interval: 50,
        });
        const ids = new Set(receiver.received.map((d) => d.headers["x-arize-webhook-id"]));
        expect(ids.size).toBe(1);
        const attempts = (
          await call("GET", `/v2/webhooks/${encodeURIComponent(webhookId)}/delivery-attempts`, token)
        ).json.delivery_attempts as {
          attempt_number: number;
          status_code: number | null;
          event_id: string;
        }[];
        expect(attempts[0]).toMatchObject({ status_code: 200, attempt_number: failedBefore + 1 });
        expect(attempts.slice(1).every((a) => a.status_code === 500)).toBe(true);
        expect(new Set(attempts.map((a) => a.event_id)).size).toBe(1);
        // Nothing of the secrets in the servers' output.
        expect(server.output()).not.toMatch(/ak-[A-Za-z0-9_-]{60,}/);
      } finally {
        await server.stop();
        await receiver.close();
      }
    },
  );
});
