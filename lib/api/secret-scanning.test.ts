import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock, systemClock } from "../clock";
import { apiKeyLeakReports, auditLog, webhookEvents } from "../db/schema";
import { generateKey } from "../keys/secrets";
import { testDatabases } from "../testing/test-databases";
import {
  auditRows,
  createKey,
  createServiceKey,
  createUserKey,
  keyRow,
  meOf,
  meStatus,
  refreshed,
  revokeKey,
  setupDemo,
  uuidOf,
  type Demo,
} from "../testing/api-keys-test-kit";
import { mailSubject, mailText, startSmtp, type SmtpInbox } from "../testing/smtp-inbox";
import { serveOverHttp } from "../testing/serve-api";
import { startReceiver, type WebhookReceiver } from "../testing/webhook-receiver";
import { startDeliveryWorker, type DeliveryWorker } from "../webhooks/delivery";
import type { WebhookPolicy } from "../webhooks/context";
import { createApi } from "./app";

/**
 * Leak reports (lifecycle.md §6) over real HTTP: GitHub's signed partner messages (signed here with a
 * key pair made for the test, its public key in a keys file as GitHub publishes them) and GitLab's
 * revocation API, with a real SMTP receiver and a real webhook receiver fed by the delivery worker.
 */
const PUBLIC_URL = "https://keydesk.example";
const GITLAB_TOKEN = "gitlab-revocation-token-for-tests";
const open: WebhookPolicy = {
  network: { allowHttp: true, allowPrivate: true },
  delivery: { retryBaseMs: 40, maxAttempts: 8, pollMs: 20 },
};

interface Feedback {
  token_hash: string;
  token_type: string;
  label: string;
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const pem = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();

describe.each(testDatabases())("leak reports on $name", (database) => {
  let demo: Demo;
  let smtp: SmtpInbox;
  let hook: WebhookReceiver;
  let worker: DeliveryWorker;
  let server: { baseUrl: string; close(): Promise<void> };
  let dir: string;
  let keysFile: string;
  const github = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const KEY_ID = randomBytes(32).toString("hex");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "keydesk-leaks-"));
    keysFile = join(dir, "secret_scanning.json");
    writeFileSync(
      keysFile,
      JSON.stringify({
        public_keys: [{ key_identifier: KEY_ID, key: pem(github.publicKey), is_current: true }],
      }),
    );
    smtp = await startSmtp();
    hook = await startReceiver();
    demo = await setupDemo(database, {
      config: {
        smtpUrl: smtp.url,
        publicUrl: PUBLIC_URL,
        webhooks: open,
        secretScanning: { github: { file: keysFile }, gitlabToken: GITLAB_TOKEN },
      },
    });
    server = await serveOverHttp(demo.harness.app);
    worker = startDeliveryWorker({ db: demo.harness.handle.db, clock: systemClock, policy: open });
    const platform = (await meOf(demo.harness, demo.tokens.admin)).organizations.find(
      (o) => o.name === "Platform",
    );
    const created = await demo.harness.request("POST", "/v2/webhooks", {
      token: demo.tokens.admin,
      body: { organization_id: platform?.id, name: "leaks", url: hook.url, auth_token: "Bearer t" },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id: webhookId } = (await created.json()) as { id: string };
    const subscribed = await demo.harness.request("POST", "/v2/webhook-subscriptions", {
      token: demo.tokens.admin,
      body: {
        webhook_id: webhookId,
        source_type: "ORGANIZATION",
        source_id: platform?.id,
        event: "API_KEY_LEAKED",
      },
    });
    expect(subscribed.status, await subscribed.clone().text()).toBe(201);
  });
  afterAll(async () => {
    await worker.stop();
    await server.close();
    await demo.harness.close();
    await smtp.close();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    smtp.inbox.length = 0;
  });

  const report = (entries: { token: string; url?: string; source?: string }[]) =>
    JSON.stringify(entries.map((e) => ({ type: "keydesk_api_key", ...e })));
  const signature = (body: string, key: KeyObject = github.privateKey) =>
    sign("sha256", Buffer.from(body, "utf8"), key).toString("base64");
  const postGitHub = (
    body: string,
    headers: Record<string, string> = {
      "github-public-key-identifier": KEY_ID,
      "github-public-key-signature": signature(body),
    },
    baseUrl = server.baseUrl,
  ) =>
    fetch(`${baseUrl}/v2/secret-scanning/github`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const leakAudit = (keyId: string) => auditRows(demo.harness, keyId, "api_key.leak_reported");
  const leakedEvents = (keyId: string) =>
    hook.received.filter(
      (d) => d.json.type === "API_KEY_LEAKED" && (d.json.data.api_key as { id: string }).id === keyId,
    );
  const allLeakAudit = () =>
    demo.harness.handle.db.select().from(auditLog).where(eq(auditLog.action, "api_key.leak_reported"));

  it("[github] a signed report ends a current and a previous secret, labels a random string false_positive, and tells everyone", async () => {
    const userKey = await createUserKey(demo.harness, demo.tokens.member, "leaky user key");
    const service = await createServiceKey(
      demo.harness,
      demo.tokens.admin,
      demo.spaceIds.Staging,
      {},
      "leaky service key",
    );
    const rotated = await refreshed(demo.harness, demo.tokens.admin, service.id, {
      grace_period_seconds: 3600,
    });
    expect(await meStatus(demo.harness, userKey.key)).toBe(200);
    expect(await meStatus(demo.harness, service.key)).toBe(200);
    const random = `not-a-key-${randomBytes(8).toString("hex")}`;

    const where = "https://github.com/octo/app/blob/abc123/.env";
    const body = report([
      { token: userKey.key, url: where, source: "content" },
      { token: service.key, url: `${where}#L2`, source: "commit" },
      { token: random, url: where, source: "content" },
    ]);
    const res = await postGitHub(body);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()) as Feedback[]).toEqual([
      { token_hash: sha256(userKey.key), token_type: "keydesk_api_key", label: "true_positive" },
      { token_hash: sha256(service.key), token_type: "keydesk_api_key", label: "true_positive" },
      { token_hash: sha256(random), token_type: "keydesk_api_key", label: "false_positive" },
    ]);

    // Both leaked secrets stop working at once; the service key's new secret goes on.
    expect(await meStatus(demo.harness, userKey.key)).toBe(401);
    expect(await meStatus(demo.harness, service.key)).toBe(401);
    expect(await meStatus(demo.harness, rotated.key)).toBe(200);
    const revoked = await keyRow(demo.harness, userKey.id);
    expect(revoked).toMatchObject({ status: "revoked", revocationReason: "leaked", revokedByUserId: null });
    expect((await keyRow(demo.harness, service.id)).status).toBe("active");

    const [userAudit] = await leakAudit(userKey.id);
    expect(userAudit?.details).toMatchObject({
      source: "github",
      url: where,
      location: "content",
      secret: "current",
      outcome: "revoked",
    });
    expect(userAudit?.actorUserId).toBeNull();
    expect((await leakAudit(service.id)).map((r) => r.details)).toEqual([
      expect.objectContaining({
        source: "github",
        url: `${where}#L2`,
        secret: "previous",
        outcome: "grace_ended",
      }),
    ]);

    // Email: the user key's owner; the service key's creator and its space's admins.
    await vi.waitFor(() => expect(smtp.inbox).toHaveLength(3));
    const userMail = smtp.inbox.find(
      (m) => mailSubject(m) === 'Your API key "leaky user key" was found in public',
    );
    expect(userMail?.to).toEqual(["member@example.com"]);
    expect(mailText(userMail)).toContain(where);
    expect(mailText(userMail)).toContain(`${PUBLIC_URL}/settings/api-keys/${encodeURIComponent(userKey.id)}`);
    expect(mailText(userMail)).not.toContain(userKey.key);
    const serviceMail = smtp.inbox.filter(
      (m) => mailSubject(m) === 'Your API key "leaky service key" was found in public',
    );
    expect(serviceMail.flatMap((m) => m.to).sort()).toEqual(["admin@example.com", "member@example.com"]);

    // The webhook hears of both, without any secret.
    await vi.waitFor(() => {
      expect(leakedEvents(userKey.id)).toHaveLength(1);
      expect(leakedEvents(service.id)).toHaveLength(1);
    });
    expect(leakedEvents(userKey.id)[0]?.json.data.api_key).toMatchObject({ status: "revoked" });
    expect(leakedEvents(userKey.id)[0]?.json.data.leak).toEqual({
      source: "github",
      url: where,
      location: "content",
    });
    expect(hook.received.map((d) => d.body).join("")).not.toContain(userKey.key);

    // The key's own answer shows where it was found (Keydesk's dialect).
    const details = await demo.harness.request("GET", `/v2/api-keys/${encodeURIComponent(userKey.id)}`, {
      token: demo.tokens.member,
    });
    expect(await details.json()).toMatchObject({
      revocation_reason: "leaked",
      leak_reports: [
        { source: "github", url: where, location: "content", secret: "current", outcome: "revoked" },
      ],
    });
    // Arize's clients never meet the [ext] field, not even with include=details.
    const python = await demo.harness.request(
      "GET",
      `/v2/api-keys/${encodeURIComponent(userKey.id)}?include=details`,
      { token: demo.tokens.member, headers: { "sdk-package-name": "arize", "sdk-version": "8.42.0" } },
    );
    expect(python.status).toBe(200);
    const pythonKey = (await python.json()) as Record<string, unknown>;
    expect(pythonKey.revocation_reason).toBe("leaked");
    expect(pythonKey).not.toHaveProperty("leak_reports");
  });

  it("[github] the same report twice: one revocation, one audit row, one email", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member, "reported twice");
    const body = report([
      { token: key.key, url: "https://github.com/octo/twice/blob/1/a.txt", source: "content" },
    ]);
    const [first, second] = await Promise.all([postGitHub(body), postGitHub(body)]);
    expect([first?.status, second?.status]).toEqual([200, 200]);
    const third = await postGitHub(body);
    expect(((await third.json()) as Feedback[])[0]?.label).toBe("true_positive");
    expect(await meStatus(demo.harness, key.key)).toBe(401);
    expect(await leakAudit(key.id)).toHaveLength(1);
    expect(
      await demo.harness.handle.db
        .select()
        .from(apiKeyLeakReports)
        .where(eq(apiKeyLeakReports.apiKeyId, uuidOf("ApiKey", key.id))),
    ).toHaveLength(1);
    await vi.waitFor(() => expect(smtp.inbox).toHaveLength(1));
    await vi.waitFor(() => expect(leakedEvents(key.id)).toHaveLength(1));
  });

  it("[github] a secret that no longer works is a true positive and recorded, but alarms nobody", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member, "revoked before the leak");
    expect((await revokeKey(demo.harness, demo.tokens.member, key.id)).status).toBe(204);
    const res = await postGitHub(
      report([{ token: key.key, url: "https://github.com/octo/old", source: "content" }]),
    );
    expect(((await res.json()) as Feedback[])[0]?.label).toBe("true_positive");
    expect((await keyRow(demo.harness, key.id)).revocationReason).toBe("manual");
    expect((await leakAudit(key.id)).map((r) => r.details?.outcome)).toEqual(["already_inactive"]);
    // A later report in this suite sends mail; this one sent none and queued no event.
    expect(smtp.inbox).toHaveLength(0);
    const queued = await demo.harness.handle.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.type, "API_KEY_LEAKED"));
    expect(queued.filter((e) => JSON.stringify(e.payload).includes(key.id))).toHaveLength(0);
    expect(queued.length).toBeGreaterThan(0);
  });

  it("[github] a bad signature, an unknown key, a body changed after signing, or no signature: 401, nothing looked at", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member, "not really reported");
    const body = report([{ token: key.key, url: "https://github.com/octo/forged", source: "content" }]);
    const stranger = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const refusals = [
      await postGitHub(body, {
        "github-public-key-identifier": KEY_ID,
        "github-public-key-signature": signature(body, stranger.privateKey),
      }),
      await postGitHub(body, {
        "github-public-key-identifier": randomBytes(32).toString("hex"),
        "github-public-key-signature": signature(body),
      }),
      await postGitHub(body.replace("forged", "forgeD"), {
        "github-public-key-identifier": KEY_ID,
        "github-public-key-signature": signature(body),
      }),
      await postGitHub(body, { "github-public-key-identifier": KEY_ID }),
      await postGitHub(body, {
        "github-public-key-identifier": KEY_ID,
        "github-public-key-signature": "not base64 DER at all",
      }),
    ];
    for (const res of refusals) {
      expect(res.status, await res.clone().text()).toBe(401);
      expect(await res.json()).toMatchObject({ code: "authentication_required" });
    }
    expect(await meStatus(demo.harness, key.key)).toBe(200);
    expect(await leakAudit(key.id)).toHaveLength(0);
  });

  it("[github] more than 1,000 tokens are refused whole (413); 1,000 are answered", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member, "in a big report");
    const many = Array.from({ length: 1000 }, () => ({
      token: generateKey(),
      url: "https://github.com/octo/big",
    }));
    const tooMany = report([...many, { token: key.key, url: "https://github.com/octo/big" }]);
    const refused = await postGitHub(tooMany);
    expect(refused.status, await refused.clone().text()).toBe(413);
    expect(await meStatus(demo.harness, key.key)).toBe(200);
    const answered = await postGitHub(report(many));
    expect(answered.status).toBe(200);
    const feedback = (await answered.json()) as Feedback[];
    expect(feedback).toHaveLength(1000);
    expect(new Set(feedback.map((f) => f.label))).toEqual(new Set(["false_positive"]));
  });

  it("[github] no usable source of GitHub's keys: 503, nothing looked at", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member, "while keys are unavailable");
    const body = report([{ token: key.key, url: "https://github.com/octo/no-keys" }]);
    // Nothing configured; a keys URL that refuses connections; a keys file that does not exist.
    const closed = await serveOverHttp({ fetch: () => new Response("down", { status: 500 }) });
    const configs = [
      {},
      { secretScanning: { github: { url: `${closed.baseUrl}/meta/public_keys/secret_scanning` } } },
      { secretScanning: { github: { file: join(dir, "missing.json") } } },
    ];
    try {
      for (const config of configs) {
        const app = createApi({ db: demo.harness.handle.db, config: { failedAuthPerMinute: 0, ...config } });
        const other = await serveOverHttp(app);
        try {
          const res = await postGitHub(body, undefined, other.baseUrl);
          expect(res.status, await res.clone().text()).toBe(503);
          expect(((await res.json()) as { code?: string }).code).toBe("upstream_unavailable");
          expect(res.headers.get("retry-after")).toBe("60");
        } finally {
          await other.close();
          await app.close();
        }
      }
    } finally {
      await closed.close();
    }
    expect(await meStatus(demo.harness, key.key)).toBe(200);
    expect(await leakAudit(key.id)).toHaveLength(0);
  });

  it("[github] keys fetched from the URL: cached, and fetched again for an unknown identifier at most once a minute", async () => {
    let fetches = 0;
    let published = [{ key_identifier: KEY_ID, key: pem(github.publicKey), is_current: true }];
    const meta = await serveOverHttp({
      fetch: () => {
        fetches++;
        return Response.json({ public_keys: published });
      },
    });
    // Its own clock: the shared one dates the delivery worker's events.
    const clock = new ManualClock(new Date().toISOString());
    const app = createApi({
      db: demo.harness.handle.db,
      clock,
      config: { failedAuthPerMinute: 0, secretScanning: { github: { url: `${meta.baseUrl}/keys` } } },
    });
    const other = await serveOverHttp(app);
    try {
      const body = report([{ token: `nothing-${randomBytes(4).toString("hex")}`, url: "" }]);
      expect((await postGitHub(body, undefined, other.baseUrl)).status).toBe(200);
      expect((await postGitHub(body, undefined, other.baseUrl)).status).toBe(200);
      expect(fetches).toBe(1);
      // GitHub rotates: a new key is published, and the first report signed with it makes one fetch.
      const rotated = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const newId = randomBytes(32).toString("hex");
      published = [...published, { key_identifier: newId, key: pem(rotated.publicKey), is_current: true }];
      const byNewKey = {
        "github-public-key-identifier": newId,
        "github-public-key-signature": signature(body, rotated.privateKey),
      };
      clock.advance(61_000);
      expect((await postGitHub(body, byNewKey, other.baseUrl)).status).toBe(200);
      expect(fetches).toBe(2);
      // Unknown identifiers within the minute: refused without another fetch.
      const unknown = { ...byNewKey, "github-public-key-identifier": randomBytes(32).toString("hex") };
      expect((await postGitHub(body, unknown, other.baseUrl)).status).toBe(401);
      expect((await postGitHub(body, unknown, other.baseUrl)).status).toBe(401);
      expect(fetches).toBe(2);
    } finally {
      await other.close();
      await app.close();
      await meta.close();
    }
  });

  it("[notify] leak_action notify: nothing revoked; the audit row, the email and the webhook all the same", async () => {
    const policy = (leak_action: string) =>
      demo.harness.request("PUT", "/v2/key-policy", { token: demo.tokens.admin, body: { leak_action } });
    expect((await policy("notify")).status).toBe(200);
    try {
      const key = await createUserKey(demo.harness, demo.tokens.member, "notify only");
      const where = "https://github.com/octo/notify/blob/1/config.yml";
      const res = await postGitHub(report([{ token: key.key, url: where, source: "content" }]));
      expect(((await res.json()) as Feedback[])[0]?.label).toBe("true_positive");
      expect(await meStatus(demo.harness, key.key)).toBe(200);
      expect((await keyRow(demo.harness, key.id)).status).toBe("active");
      expect((await leakAudit(key.id)).map((r) => r.details)).toEqual([
        expect.objectContaining({ source: "github", url: where, leak_action: "notify", outcome: "notified" }),
      ]);
      await vi.waitFor(() => expect(smtp.inbox).toHaveLength(1));
      expect(mailText(smtp.inbox[0])).toContain("notify only, so the key still works");
      await vi.waitFor(() => expect(leakedEvents(key.id)).toHaveLength(1));
      expect(leakedEvents(key.id)[0]?.json.data.api_key).toMatchObject({ status: "active" });
    } finally {
      expect((await policy("revoke")).status).toBe(200);
    }
  });

  it("[gitlab] unset → 404, wrong token → 401, the right token lists the type and a report revokes", async () => {
    const key = await createUserKey(demo.harness, demo.tokens.member, "found by gitlab");
    const types = `${server.baseUrl}/secret-scanning/gitlab/v1/revocable_token_types`;
    const revoke = `${server.baseUrl}/secret-scanning/gitlab/v1/revoke_tokens`;
    const body = JSON.stringify([
      { type: "keydesk_api_key", token: key.key, location: "https://gitlab.example/g/p/-/blob/main/.env" },
      { type: "keydesk_api_key", token: "something else" },
    ]);
    const post = (authorization: string, url = revoke) =>
      fetch(url, { method: "POST", headers: { authorization, "content-type": "application/json" }, body });

    // Unset: the API does not exist.
    const unset = createApi({ db: demo.harness.handle.db, config: { failedAuthPerMinute: 0 } });
    const bare = await serveOverHttp(unset);
    try {
      expect(
        (
          await fetch(types.replace(server.baseUrl, bare.baseUrl), {
            headers: { authorization: GITLAB_TOKEN },
          })
        ).status,
      ).toBe(404);
      expect((await post(GITLAB_TOKEN, revoke.replace(server.baseUrl, bare.baseUrl))).status).toBe(404);
    } finally {
      await bare.close();
      await unset.close();
    }
    expect((await fetch(types, { headers: { authorization: "wrong" } })).status).toBe(401);
    expect((await post(`${GITLAB_TOKEN}x`)).status).toBe(401);
    expect((await post("")).status).toBe(401);
    expect(await meStatus(demo.harness, key.key)).toBe(200);

    const listed = await fetch(types, { headers: { authorization: GITLAB_TOKEN } });
    expect(await listed.json()).toEqual({ types: ["keydesk_api_key"] });
    const res = await post(GITLAB_TOKEN);
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await meStatus(demo.harness, key.key)).toBe(401);
    expect(await keyRow(demo.harness, key.id)).toMatchObject({
      status: "revoked",
      revocationReason: "leaked",
    });
    expect((await leakAudit(key.id)).map((r) => r.details)).toEqual([
      expect.objectContaining({
        source: "gitlab",
        url: "https://gitlab.example/g/p/-/blob/main/.env",
        outcome: "revoked",
      }),
    ]);
  });

  it("[gitlab] failed tokens are rate-limited like failed credentials; the right token still works", async () => {
    const clock = new ManualClock(new Date().toISOString());
    const app = createApi({
      db: demo.harness.handle.db,
      clock,
      config: {
        failedAuthPerMinute: 3,
        secretScanning: { github: { file: keysFile }, gitlabToken: GITLAB_TOKEN },
      },
    });
    const other = await serveOverHttp(app);
    const types = `${other.baseUrl}/secret-scanning/gitlab/v1/revocable_token_types`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await fetch(types, { headers: { authorization: `guess-${i}` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limited = await fetch(types, { headers: { authorization: "guess" } });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await fetch(types, { headers: { authorization: GITLAB_TOKEN } })).status).toBe(200);
      // Bad GitHub signatures count the same way.
      const body = report([{ token: "x", url: "" }]);
      const forged = await postGitHub(
        body,
        { "github-public-key-identifier": KEY_ID, "github-public-key-signature": "AAAA" },
        other.baseUrl,
      );
      expect(forged.status).toBe(429);
      clock.advance(61_000);
      expect((await fetch(types, { headers: { authorization: "guess-again" } })).status).toBe(401);
    } finally {
      await other.close();
      await app.close();
    }
  });

  it("[github] a report's round trip: request → key revoked → verification refused (timed)", async () => {
    const key = await createKey(demo.harness, demo.tokens.member, { name: "timed leak" });
    const body = report([{ token: key.key, url: "https://github.com/octo/timed", source: "content" }]);
    const started = performance.now();
    const res = await postGitHub(body);
    const answered = performance.now();
    const me = await fetch(`${server.baseUrl}/v2/me`, { headers: { authorization: `Bearer ${key.key}` } });
    const refused = performance.now();
    expect(res.status).toBe(200);
    expect(me.status).toBe(401);
    console.log(
      `leak round trip (${database.name}): report answered in ${(answered - started).toFixed(1)} ms, ` +
        `key refused ${(refused - started).toFixed(1)} ms after the report was sent`,
    );
    const rows = await demo.harness.handle.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "api_key.leak_reported"), eq(auditLog.targetId, uuidOf("ApiKey", key.id))),
      );
    expect(rows).toHaveLength(1);
    expect((await allLeakAudit()).length).toBeGreaterThan(1);
  });
});
