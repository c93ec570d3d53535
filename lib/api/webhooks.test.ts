import { createHmac } from "node:crypto";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { systemClock } from "../clock";
import { auditLog, webhookDeliveries, webhookDeliveryAttempts, webhooks } from "../db/schema";
import { testDatabases } from "../testing/test-databases";
import {
  createServiceKey,
  createUserKey,
  expectProblem,
  listAll,
  meOf,
  refreshed,
  revokeKey,
  setupDemo,
  type Demo,
} from "../testing/api-keys-test-kit";
import { startReceiver, type WebhookReceiver } from "../testing/webhook-receiver";
import { startDeliveryWorker, type DeliveryWorker } from "../webhooks/delivery";
import { enqueueKeyEvent } from "../keys/key-events";
import { scanExpiringKeys } from "../keys/expiry-warnings";
import type { WebhookPolicy } from "../webhooks/context";

/**
 * Arize's webhooks API with key events (lifecycle.md §5), over the in-process API and a real HTTP
 * receiver on loopback (so the allow variables are on here; the refusals without them are below),
 * with the real delivery worker on the same database.
 */
const RETRY_BASE_MS = 40;
const open: WebhookPolicy = {
  network: { allowHttp: true, allowPrivate: true },
  delivery: { retryBaseMs: RETRY_BASE_MS, maxAttempts: 8, pollMs: 20 },
};

interface WebhookJson {
  id: string;
  organization_id: string;
  name: string;
  auth_type: string;
  signing_secret?: string;
  signing_secret_hint?: string;
  timeout_ms: number;
}
interface AttemptJson {
  event_id: string;
  created_at: string;
  attempt_number: number;
  status_code: number | null;
  error_message: string | null;
  payload: { id: string; type: string };
}

describe.each(testDatabases())("webhooks on $name", (database) => {
  let demo: Demo;
  let orgIds: Record<string, string>;
  let worker: DeliveryWorker;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    demo = await setupDemo(database, { config: { webhooks: open } });
    orgIds = Object.fromEntries(
      (await meOf(demo.harness, demo.tokens.admin)).organizations.map((o) => [o.name, o.id]),
    );
    worker = startDeliveryWorker({ db: demo.harness.handle.db, clock: systemClock, policy: open });
  });
  afterAll(async () => {
    await worker.stop();
    await demo.harness.close();
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  const receiver = async (answers: number[] = []) => {
    const r = await startReceiver(answers);
    receivers.push(r);
    return r;
  };
  const call = (method: string, path: string, token = demo.tokens.admin, body?: unknown) =>
    demo.harness.request(method, path, { token, body });
  async function createWebhook(
    body: Record<string, unknown>,
    token = demo.tokens.admin,
  ): Promise<WebhookJson> {
    const res = await call("POST", "/v2/webhooks", token, { organization_id: orgIds.Platform, ...body });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as WebhookJson;
  }
  async function subscribe(webhookId: string, sourceType: string, sourceId: string, events: string[]) {
    for (const event of events) {
      const res = await call("POST", "/v2/webhook-subscriptions", demo.tokens.admin, {
        webhook_id: webhookId,
        source_type: sourceType,
        source_id: sourceId,
        event,
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
  }
  async function attempts(webhookId: string): Promise<AttemptJson[]> {
    const res = await call(
      "GET",
      `/v2/webhooks/${encodeURIComponent(webhookId)}/delivery-attempts?limit=100`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { delivery_attempts: AttemptJson[] }).delivery_attempts;
  }

  it("[org admin] creates, gets, lists, updates and deletes a webhook; each change writes an audit row", async () => {
    const hook = await receiver();
    const created = await createWebhook({
      name: "CRUD hook",
      url: hook.url,
      auth_token: "Bearer crud-token",
    });
    expect(created).toMatchObject({ name: "CRUD hook", auth_type: "BEARER", timeout_ms: 30_000 });
    expect(JSON.stringify(created)).not.toContain("crud-token");

    const path = `/v2/webhooks/${encodeURIComponent(created.id)}`;
    expect(await (await call("GET", path)).json()).toMatchObject({ id: created.id, url: hook.url });
    const list = (await (
      await call("GET", `/v2/webhooks?org_id=${encodeURIComponent(orgIds.Platform ?? "")}&name=crud`)
    ).json()) as {
      webhooks: WebhookJson[];
    };
    expect(list.webhooks.map((w) => w.id)).toEqual([created.id]);

    const patched = await call("PATCH", path, demo.tokens.admin, { name: "CRUD hook 2", timeout_ms: 5000 });
    expect(await patched.json()).toMatchObject({ name: "CRUD hook 2", timeout_ms: 5000 });
    await expectProblem(await call("PATCH", path, demo.tokens.admin, { timeout_ms: 999 }), 400);
    await expectProblem(await call("PATCH", path, demo.tokens.admin, { timeout_ms: 60_001 }), 400);
    await expectProblem(
      await call("POST", "/v2/webhooks", demo.tokens.admin, {
        organization_id: orgIds.Platform,
        name: "CRUD hook 2",
        url: hook.url,
      }),
      409,
      "conflict",
    );

    expect((await call("DELETE", path)).status).toBe(204);
    await expectProblem(await call("GET", path), 404, "not_found");

    const rows = await demo.harness.handle.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.targetId, (await uuidOfWebhook(created.id)) ?? ""));
    expect(rows.map((r) => r.action).sort()).toEqual(["webhook.create", "webhook.delete", "webhook.update"]);
    expect(JSON.stringify(rows)).not.toContain("crud-token");
    expect(JSON.stringify(rows)).not.toContain("/hook");
  });

  async function uuidOfWebhook(id: string) {
    return Buffer.from(id, "base64").toString("utf8").split(":")[1];
  }

  it("[member] and [read-only] get 403 on their organization's webhooks, 404 out of sight, and an empty list", async () => {
    const hook = await receiver();
    const platform = await createWebhook({ name: "Platform hook", url: hook.url });
    const research = await createWebhook({
      name: "Research hook",
      url: hook.url,
      organization_id: orgIds.Research,
    });
    for (const user of ["member", "readOnly"] as const) {
      const token = demo.tokens[user];
      await expectProblem(
        await call("GET", `/v2/webhooks/${encodeURIComponent(platform.id)}`, token),
        403,
        "forbidden",
      );
      await expectProblem(
        await call("DELETE", `/v2/webhooks/${encodeURIComponent(platform.id)}`, token),
        403,
      );
      await expectProblem(
        await call("POST", "/v2/webhooks", token, {
          organization_id: orgIds.Platform,
          name: "mine",
          url: hook.url,
        }),
        403,
      );
      const list = (await (await call("GET", "/v2/webhooks", token)).json()) as { webhooks: unknown[] };
      expect(list.webhooks).toEqual([]);
    }
    // Riley is not in Research at all.
    await expectProblem(
      await call("GET", `/v2/webhooks/${encodeURIComponent(research.id)}`, demo.tokens.readOnly),
      404,
    );
  });

  it("delivers key events: create, refresh and revoke of a service key to a SPACE subscription; not other spaces' keys", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({
      name: "Space events",
      url: hook.url,
      auth_token: "Bearer space-token",
    });
    await subscribe(webhook.id, "SPACE", demo.spaceIds.Production, [
      "API_KEY_CREATED",
      "API_KEY_REFRESHED",
      "API_KEY_REVOKED",
    ]);

    const key = await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Production);
    const fresh = await refreshed(demo.harness, demo.tokens.admin, key.id);
    expect((await revokeKey(demo.harness, demo.tokens.admin, key.id)).status).toBe(204);
    await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Staging);

    await vi.waitFor(() => expect(hook.received).toHaveLength(3), { timeout: 10_000, interval: 20 });
    const types = hook.received.map((d) => d.json.type).sort();
    expect(types).toEqual(["API_KEY_CREATED", "API_KEY_REFRESHED", "API_KEY_REVOKED"]);
    for (const d of hook.received) {
      expect(d.headers.authorization).toBe("Bearer space-token");
      expect(d.headers["x-arize-webhook-id"]).toBe(d.json.id);
      expect(d.headers["x-arize-webhook-event"]).toBe(d.json.type);
      expect(d.json.data.api_key).toMatchObject({ id: key.id, key_type: "service" });
      // Never a secret.
      expect(d.body).not.toContain(key.key);
      expect(d.body).not.toContain(fresh.key);
    }
    const revoked = hook.received.find((d) => d.json.type === "API_KEY_REVOKED");
    // The key as the API lists it with details, in the state the event tells of.
    const [listed] = (
      await listAll(
        demo.harness,
        demo.tokens.admin,
        `space_id=${encodeURIComponent(demo.spaceIds.Production)}&status=all&include=details`,
      )
    ).filter((k) => k.id === key.id);
    expect(revoked?.json.data.api_key).toEqual(listed);
  });

  it("delivers a user key's events to its owner's organizations (ORGANIZATION subscription)", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Org events", url: hook.url });
    await subscribe(webhook.id, "ORGANIZATION", orgIds.Platform ?? "", ["API_KEY_CREATED"]);
    const key = await createUserKey(demo.harness, demo.tokens.member);
    await vi.waitFor(
      () =>
        expect(hook.received.map((d) => d.json.data.api_key)).toContainEqual(
          expect.objectContaining({ id: key.id }),
        ),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    expect(hook.received.every((d) => d.json.type === "API_KEY_CREATED")).toBe(true);
  });

  it("queues API_KEY_EXPIRING with days_left through the exported enqueueKeyEvent (what the expiry scan calls)", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Expiry", url: hook.url });
    await subscribe(webhook.id, "SPACE", demo.spaceIds.Production, ["API_KEY_EXPIRING"]);
    const key = await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Production);
    const db = demo.harness.handle.db;
    const keyId = Buffer.from(key.id, "base64").toString("utf8").split(":")[1] ?? "";
    const eventId = await db.transaction((tx) =>
      enqueueKeyEvent(tx, systemClock, { keyId, type: "API_KEY_EXPIRING", at: new Date(), daysLeft: 7 }),
    );
    expect(eventId).toEqual(expect.any(String));
    await vi.waitFor(() => expect(hook.received).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(hook.received[0]?.json).toMatchObject({
      id: eventId,
      type: "API_KEY_EXPIRING",
      data: { api_key: { id: key.id }, days_left: 7 },
    });
    // Nobody listens for API_KEY_EXPIRED: nothing is queued.
    expect(
      await db.transaction((tx) =>
        enqueueKeyEvent(tx, systemClock, { keyId, type: "API_KEY_EXPIRED", at: new Date(), daysLeft: 0 }),
      ),
    ).toBeNull();
  });

  it("the expiry scan delivers API_KEY_EXPIRING once, with days_left, to a subscribed webhook", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Expiry scan", url: hook.url });
    await subscribe(webhook.id, "SPACE", demo.spaceIds.Production, ["API_KEY_EXPIRING"]);
    const res = await demo.harness.request("POST", "/v2/api-keys", {
      token: demo.tokens.admin,
      body: {
        name: "expires in six days",
        key_type: "service",
        space_id: demo.spaceIds.Production,
        expires_at: new Date(Date.now() + 6 * 86_400_000 - 60_000).toISOString(),
      },
    });
    expect(res.status).toBe(201);
    const key = (await res.json()) as { id: string };
    const scan = () =>
      scanExpiringKeys({ db: demo.harness.handle.db, clock: systemClock, publicUrl: "http://keydesk.test" });
    await scan();
    await scan();
    await vi.waitFor(() => expect(hook.received.length).toBeGreaterThanOrEqual(1), {
      timeout: 10_000,
      interval: 20,
    });
    const expiring = hook.received.filter(
      (d) =>
        d.json.type === "API_KEY_EXPIRING" &&
        (d.json.data as { api_key: { id: string } }).api_key.id === key.id,
    );
    expect(expiring).toHaveLength(1);
    expect(expiring[0]?.json).toMatchObject({ data: { days_left: 6 } });
  });

  it("retries a 500 with backoff: 500, 500, 200 is three attempts of one event id, all listed", async () => {
    const hook = await receiver([500, 500, 200]);
    const webhook = await createWebhook({ name: "Flaky", url: hook.url });
    await subscribe(webhook.id, "SPACE", demo.spaceIds.Staging, ["API_KEY_CREATED"]);
    await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Staging);

    await vi.waitFor(async () => expect(await attempts(webhook.id)).toHaveLength(3), {
      timeout: 10_000,
      interval: 20,
    });
    expect(hook.received).toHaveLength(3);
    const ids = new Set(hook.received.map((d) => d.headers["x-arize-webhook-id"]));
    expect(ids.size).toBe(1);
    expect(new Set(hook.received.map((d) => d.json.id)).size).toBe(1);
    // Backoff: the second retry waited at least twice the base.
    const stamps = (await attempts(webhook.id)).reverse();
    expect(stamps.map((a) => [a.attempt_number, a.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(new Set(stamps.map((a) => a.event_id)).size).toBe(1);
    // Exponential backoff: each attempt waited at least base × 2^(n-1) after the one before was recorded.
    const at = stamps.map((a) => Date.parse(a.created_at));
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(RETRY_BASE_MS);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS);
    expect(stamps[0]?.error_message).toMatch(/500/);
    expect(stamps[2]?.error_message).toBeNull();
    expect(stamps[0]?.payload.type).toBe("API_KEY_CREATED");
  });

  it("signs HMAC_SHA256 deliveries: the signature verifies with the secret from create, which is never shown again", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Signed", url: hook.url, auth_type: "HMAC_SHA256" });
    const secret = webhook.signing_secret ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(webhook.signing_secret_hint).toBe(`whsec_…${secret.slice(-4)}`);
    const again = await (await call("GET", `/v2/webhooks/${encodeURIComponent(webhook.id)}`)).text();
    expect(again).not.toContain(secret);
    expect(again).toContain(webhook.signing_secret_hint ?? "");

    const test = await call("POST", `/v2/webhooks/${encodeURIComponent(webhook.id)}/test`);
    expect(await test.json()).toEqual({ status_code: 200, error_message: null });
    await subscribe(webhook.id, "ORGANIZATION", orgIds.Platform ?? "", ["API_KEY_CREATED"]);
    await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Production);
    await vi.waitFor(() => expect(hook.received).toHaveLength(2), { timeout: 10_000, interval: 20 });
    for (const d of hook.received) {
      const timestamp = String(d.headers["x-arize-webhook-timestamp"]);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(600);
      const expected = createHmac("sha256", secret).update(`${timestamp}.${d.body}`).digest("hex");
      expect(d.headers["x-arize-webhook-signature"]).toBe(`v1=${expected}`);
      expect(d.headers.authorization).toBeUndefined();
    }
    expect(hook.received.map((d) => d.json.type)).toEqual(["WEBHOOK_TEST", "API_KEY_CREATED"]);
  });

  it("answers a test of an endpoint that is down with 502, and records the attempt", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Down", url: hook.url, timeout_ms: 1000 });
    await hook.close();
    const res = await call("POST", `/v2/webhooks/${encodeURIComponent(webhook.id)}/test`);
    const outcome = (await res.json()) as { status_code: number; error_message: string };
    expect(outcome.status_code).toBe(502);
    expect(outcome.error_message).toMatch(/connection failed/i);
    expect((await attempts(webhook.id))[0]).toMatchObject({ status_code: null, attempt_number: 1 });
  });

  it("sends custom headers with each delivery, refuses reserved ones, and gives up on a silent endpoint at timeout_ms", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Headers", url: hook.url, headers: { "X-Team": "keys" } });
    expect(JSON.stringify(webhook)).not.toContain('keys"');
    const test = await call("POST", `/v2/webhooks/${encodeURIComponent(webhook.id)}/test`);
    expect(((await test.json()) as { status_code: number }).status_code).toBe(200);
    expect(hook.received[0]?.headers["x-team"]).toBe("keys");
    for (const name of ["Host", "X-Arize-Webhook-Signature", "bad header"])
      await expectProblem(
        await call("POST", "/v2/webhooks", demo.tokens.admin, {
          organization_id: orgIds.Platform,
          name: `reserved ${name}`,
          url: hook.url,
          headers: { [name]: "x" },
        }),
        400,
      );

    // An endpoint that takes the connection and never answers.
    const silent = createNetServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const slow = await createWebhook({
        name: "Silent",
        url: `http://127.0.0.1:${port}/`,
        timeout_ms: 1000,
      });
      const started = Date.now();
      const res = await call("POST", `/v2/webhooks/${encodeURIComponent(slow.id)}/test`);
      expect(await res.json()).toEqual({ status_code: 502, error_message: "No answer within 1000 ms." });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      silent.close();
    }
  });

  it("refuses subscriptions Keydesk cannot serve, and spaces of another organization", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Subs", url: hook.url });
    const post = (body: Record<string, unknown>) =>
      call("POST", "/v2/webhook-subscriptions", demo.tokens.admin, { webhook_id: webhook.id, ...body });
    await expectProblem(
      await post({ source_type: "PROMPT", source_id: "x", event: "PROMPT_VERSION_CREATED" }),
      422,
      "not_supported",
    );
    await expectProblem(
      await post({ source_type: "SPACE", source_id: demo.spaceIds.Experiments, event: "API_KEY_CREATED" }),
      409,
    );
    await subscribe(webhook.id, "SPACE", demo.spaceIds.Production, ["API_KEY_LEAKED"]);
    await expectProblem(
      await post({ source_type: "SPACE", source_id: demo.spaceIds.Production, event: "API_KEY_LEAKED" }),
      409,
    );

    // [ext] values never reach Arize's clients in lists.
    const arize = { "sdk-package-name": "arize", "sdk-version": "8.61.0" };
    const forArize = await demo.harness.request("GET", "/v2/webhook-subscriptions", {
      token: demo.tokens.admin,
      headers: arize,
    });
    expect(((await forArize.json()) as { subscriptions: unknown[] }).subscriptions).toEqual([]);
    const ours = (await (
      await call("GET", `/v2/webhook-subscriptions?webhook_id=${encodeURIComponent(webhook.id)}`)
    ).json()) as {
      subscriptions: { id: string; event: string; source_type: string }[];
    };
    expect(ours.subscriptions).toEqual([
      expect.objectContaining({ event: "API_KEY_LEAKED", source_type: "SPACE" }),
    ]);
    const one = ours.subscriptions[0]?.id ?? "";
    expect((await call("GET", `/v2/webhook-subscriptions/${encodeURIComponent(one)}`)).status).toBe(200);
    await expectProblem(
      await call("GET", `/v2/webhook-subscriptions/${encodeURIComponent(one)}`, demo.tokens.member),
      403,
    );
    expect((await call("DELETE", `/v2/webhook-subscriptions/${encodeURIComponent(one)}`)).status).toBe(204);
    await expectProblem(await call("GET", `/v2/webhook-subscriptions/${encodeURIComponent(one)}`), 404);
  });

  it("stores the signing secret and token only in their columns, for delivery", async () => {
    const hook = await receiver();
    const webhook = await createWebhook({ name: "Stored", url: hook.url, auth_type: "HMAC_SHA256" });
    const [row] = await demo.harness.handle.db
      .select({ secret: webhooks.signingSecret, token: webhooks.authToken })
      .from(webhooks)
      .where(eq(webhooks.name, "Stored"));
    expect(row?.secret).toBe(webhook.signing_secret);
    expect(row?.token).toBeNull();
  });
});

describe.each(testDatabases())("webhook URLs without the allow variables, on $name", (database) => {
  let demo: Demo;
  let platformId = "";
  beforeAll(async () => {
    // No `webhooks` config: what a server gets without KEYDESK_WEBHOOK_ALLOW_HTTP / _ALLOW_PRIVATE.
    demo = await setupDemo(database);
    platformId =
      (await meOf(demo.harness, demo.tokens.admin)).organizations.find((o) => o.name === "Platform")?.id ??
      "";
  });
  afterAll(() => demo.harness.close());

  const create = (url: string) =>
    demo.harness.request("POST", "/v2/webhooks", {
      token: demo.tokens.admin,
      body: { organization_id: platformId, name: `hook ${url}`, url },
    });

  it("refuses http://169.254.169.254/… and http://127.0.0.1/… (http, and the address), and their https forms", async () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1/hook"]) {
      const problem = await expectProblem(await create(url), 400, "invalid_request");
      expect(problem.errors).toEqual([{ field: "url", message: "The URL must start with https://." }]);
    }
    for (const url of [
      "https://169.254.169.254/latest/meta-data/",
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://[::1]/hook",
      "https://[::ffff:169.254.169.254]/",
      "https://10.0.0.8/hook",
    ]) {
      const problem = await expectProblem(await create(url), 400, "invalid_request");
      expect(problem.errors?.[0]?.message, url).toMatch(/loopback, private, link-local or metadata/);
    }
    const rows = await demo.harness.handle.db.select({ id: webhooks.id }).from(webhooks);
    expect(rows).toEqual([]);
  });
});

describe.each(testDatabases())("the delivery queue on $name", (database) => {
  it("keeps events queued while no worker runs, and two workers on one database deliver each exactly once", async () => {
    const demo = await setupDemo(database, { config: { webhooks: open } });
    const hook = await startReceiver();
    try {
      const platform = (await meOf(demo.harness, demo.tokens.admin)).organizations.find(
        (o) => o.name === "Platform",
      );
      const created = await demo.harness.request("POST", "/v2/webhooks", {
        token: demo.tokens.admin,
        body: { organization_id: platform?.id, name: "Queued", url: hook.url },
      });
      const webhook = (await created.json()) as WebhookJson;
      await demo.harness.request("POST", "/v2/webhook-subscriptions", {
        token: demo.tokens.admin,
        body: {
          webhook_id: webhook.id,
          source_type: "ORGANIZATION",
          source_id: platform?.id,
          event: "API_KEY_CREATED",
        },
      });
      for (let i = 0; i < 6; i++)
        await createServiceKey(demo.harness, demo.tokens.admin, demo.spaceIds.Production);

      const db = demo.harness.handle.db;
      const queued = await db.select({ status: webhookDeliveries.status }).from(webhookDeliveries);
      expect(queued).toEqual(Array.from({ length: 6 }, () => ({ status: "pending" })));
      expect(hook.received).toHaveLength(0);

      const workers = [0, 1].map(() => startDeliveryWorker({ db, clock: systemClock, policy: open }));
      await vi.waitFor(
        async () => {
          const rows = await db.select({ status: webhookDeliveries.status }).from(webhookDeliveries);
          expect(rows.every((r) => r.status === "delivered")).toBe(true);
        },
        { timeout: 10_000, interval: 20 },
      );
      await Promise.all(workers.map((w) => w.stop()));
      expect(hook.received).toHaveLength(6);
      expect(new Set(hook.received.map((d) => d.json.id)).size).toBe(6);
      expect(await db.select({ id: webhookDeliveryAttempts.id }).from(webhookDeliveryAttempts)).toHaveLength(
        6,
      );
    } finally {
      await hook.close();
      await demo.harness.close();
    }
  });
});
