/**
 * JSON logs (operations.md "Logs") of a real server.ts over real HTTP, on PGlite and PostgreSQL: every
 * line a JSON object, one line per request with its route pattern and never its query, request ids in
 * and out, probes out of the info log, LOG_LEVEL honoured — and, at debug, none of the secrets that a
 * session of real work makes or sends anywhere in what the process wrote.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_SEARCH_PATTERN } from "../lib/keys/secrets";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/testing/demo-viewers";
import { rawRequest } from "../lib/testing/raw-http";
import { startSmtp, mailText, type SmtpInbox } from "../lib/testing/smtp-inbox";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { openScratchPostgres } from "../lib/testing/test-databases";
import { startReceiver, type WebhookReceiver } from "../lib/testing/webhook-receiver";

interface Store {
  name: string;
  /** A new, empty database for one server. */
  url(): Promise<string>;
}

const cleanups: (() => Promise<void>)[] = [];
const stores: Store[] = [
  {
    name: "pglite",
    url: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "keydesk-logs-"));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      return `pglite:${dir}`;
    },
  },
];
if (process.env.TEST_DATABASE_URL) {
  const base = process.env.TEST_DATABASE_URL;
  stores.push({
    name: "postgres",
    url: async () => {
      const handle = await openScratchPostgres(base);
      cleanups.push(() => handle.close());
      return handle.url;
    },
  });
}
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

type Line = Record<string, unknown>;

/** Every line of the server's stdout and stderr, each parsed; a line that is not a JSON object fails. */
function lines(server: SpawnedServer): Line[] {
  const all = [...server.stdout().split("\n"), ...server.stderr().split("\n")].filter((l) => l !== "");
  return all.map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`not a JSON line: ${line}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error(`not a JSON object: ${line}`);
    return parsed as Line;
  });
}

const requestLine = (server: SpawnedServer, requestId: string) =>
  lines(server).find((l) => l.msg === "request" && l.req_id === requestId);

/** Waits until the server has written the line of the request with this id. */
async function loggedRequest(server: SpawnedServer, requestId: string): Promise<Line> {
  let found: Line | undefined;
  await vi.waitFor(
    () => {
      found = requestLine(server, requestId);
      expect(found, `no line for ${requestId}:\n${server.output().slice(-3_000)}`).toBeDefined();
    },
    { timeout: 10_000, interval: 50 },
  );
  return found ?? {};
}

async function call(
  server: SpawnedServer,
  method: string,
  urlPath: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(server.baseUrl + urlPath, {
    method,
    redirect: "manual",
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // a page
  }
  return { status: res.status, headers: res.headers, json, text };
}

const signIn = async (server: SpawnedServer, email: string, password: string) => {
  const session = await call(server, "POST", "/v2/sessions", { body: { email, password } });
  expect(session.status).toBe(201);
  return String(session.json.token);
};

describe.each(stores)("JSON logs of a real server on $name", (store) => {
  describe("at the default level (info)", () => {
    let server: SpawnedServer;
    beforeAll(async () => {
      server = await spawnServer({
        env: { DATABASE_URL: await store.url(), KEYDESK_DEMO: "1", LOG_FORMAT: "json" },
      });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("a request's line has its id, method, route pattern, status, duration and address, never its query; a read that succeeded has none at info", async () => {
      const token = await signIn(server, DEMO_USERS.member.email, DEMO_PASSWORD);
      const created = await call(server, "POST", "/v2/api-keys", { token, body: { name: "logged key" } });
      expect(created.status).toBe(201);
      const id = String(created.json.id);
      const got = await call(server, "GET", `/v2/api-keys/${id}?look=here-is-a-query-value`, {
        token,
        headers: { "x-request-id": "route-line-1" },
      });
      expect(got.status).toBe(200);
      const refused = await call(server, "GET", `/v2/api-keys/${id}?look=here-is-a-query-value`, {
        headers: { "x-request-id": "route-line-2" },
      });
      expect(refused.status).toBe(401);
      const line = await loggedRequest(server, "route-line-2");
      expect(line).toMatchObject({
        level: "info",
        req_id: "route-line-2",
        method: "GET",
        route: "/v2/api-keys/:id",
        status: 401,
      });
      // Lines are written in order: the successful read before it is at debug, so not here; the
      // change before it (the key's creation) is.
      expect(requestLine(server, "route-line-1")).toBeUndefined();
      expect(
        lines(server).some(
          (l) => l.msg === "request" && l.method === "POST" && l.route === "/v2/api-keys" && l.status === 201,
        ),
      ).toBe(true);
      expect(typeof line.time).toBe("string");
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
      expect(typeof line.duration_ms).toBe("number");
      expect(String(line.address)).toMatch(/127\.0\.0\.1|::1/);
      // Neither the query nor the raw path (with the key's id) is written anywhere.
      expect(server.output()).not.toContain("here-is-a-query-value");
      expect(server.output()).not.toContain(`/v2/api-keys/${id}`);

      // A page is one line too, under one route name.
      await call(server, "GET", "/no-such-page?next=%2Fsettings", {
        headers: { "x-request-id": "page-line-1" },
      });
      expect(await loggedRequest(server, "page-line-1")).toMatchObject({
        method: "GET",
        route: "(pages)",
        status: 404,
      });
    });

    it("x-request-id: a short safe token comes back as sent, in the header and in a problem's request_id", async () => {
      const res = await call(server, "GET", "/v2/api-keys/nope", { headers: { "x-request-id": "abc-123" } });
      expect(res.status).toBe(401);
      expect(res.headers.get("x-request-id")).toBe("abc-123");
      expect(res.json).toMatchObject({ status: 401, code: "authentication_required", request_id: "abc-123" });
      expect(await loggedRequest(server, "abc-123")).toMatchObject({
        route: "/v2/api-keys/:id",
        status: 401,
      });
      // A page answers with it too.
      const page = await call(server, "GET", "/login", { headers: { "x-request-id": "abc-124" } });
      expect(page.headers.get("x-request-id")).toBe("abc-124");
      // With none, the server makes one.
      const fresh = await call(server, "GET", "/v2/me");
      expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(fresh.json.request_id).toBe(fresh.headers.get("x-request-id"));
    });

    it("an unsafe incoming id (spaces and a line break, 200 characters) is replaced, and never written", async () => {
      const host = new URL(server.baseUrl).host;
      const spaced = await rawRequest(
        server.baseUrl,
        `GET /v2/me HTTP/1.1\r\nHost: ${host}\r\nx-request-id: x y\\n injected\r\nConnection: close\r\n\r\n`,
      );
      expect(spaced.status).toBe(401);
      const spacedId = spaced.headers["x-request-id"] ?? "";
      expect(spacedId).toMatch(/^[0-9a-f-]{36}$/);
      expect((JSON.parse(spaced.body) as Line).request_id).toBe(spacedId);

      const long = "L".repeat(200);
      const res = await call(server, "GET", "/v2/me", { headers: { "x-request-id": long } });
      const longId = res.headers.get("x-request-id") ?? "";
      expect(longId).toMatch(/^[0-9a-f-]{36}$/);
      await loggedRequest(server, longId);
      await loggedRequest(server, spacedId);
      expect(server.output()).not.toContain("injected");
      expect(server.output()).not.toContain(long);
    });

    it("/healthz and /readyz are not in the request log at info", async () => {
      for (const probe of ["/healthz", "/readyz"]) {
        const res = await call(server, "GET", probe, {
          headers: { "x-request-id": `probe-${probe.slice(1)}` },
        });
        expect(res.status).toBe(200);
      }
      // A request after them is written; the probes before it are not.
      await call(server, "GET", "/v2/me", { headers: { "x-request-id": "after-probes" } });
      await loggedRequest(server, "after-probes");
      expect(server.output()).not.toContain("probe-healthz");
      expect(server.output()).not.toContain("probe-readyz");
    });

    it("every line the process wrote, Next.js's own included, is a JSON object with time, level and msg", async () => {
      // A page that Next.js answers as not found, and a malformed request the server answers itself.
      await call(server, "GET", "/no-such-page", { headers: { "x-request-id": "not-found-page" } });
      await loggedRequest(server, "not-found-page");
      const bad = await rawRequest(server.baseUrl, "GET /v2/me HTTP/1.1\r\nConnection: close\r\n\r\n");
      expect(bad.status).toBe(400);
      await loggedRequest(server, bad.headers["x-request-id"] ?? "");
      const all = lines(server);
      expect(all.length).toBeGreaterThan(5);
      for (const line of all) {
        expect(typeof line.time, JSON.stringify(line)).toBe("string");
        expect(["trace", "debug", "info", "warn", "error", "fatal"], JSON.stringify(line)).toContain(
          line.level,
        );
        expect(typeof line.msg, JSON.stringify(line)).toBe("string");
      }
      expect(all.some((l) => String(l.msg).startsWith("Keydesk ready on http://"))).toBe(true);
    });
  });

  describe("at LOG_LEVEL=warn", () => {
    it("request lines are left out", { timeout: 120_000 }, async () => {
      const server = await spawnServer({
        env: { DATABASE_URL: await store.url(), KEYDESK_DEMO: "1", LOG_FORMAT: "json", LOG_LEVEL: "warn" },
        readyzPort: 3400 + 5 + stores.indexOf(store),
      });
      try {
        const res = await call(server, "GET", "/v2/me", { headers: { "x-request-id": "at-warn-level" } });
        expect(res.status).toBe(401);
        expect(res.json.request_id).toBe("at-warn-level");
        await call(server, "GET", "/login", { headers: { "x-request-id": "at-warn-page" } });
        await server.stop();
        expect(server.output()).not.toContain("at-warn-level");
        expect(server.output()).not.toContain("at-warn-page");
        for (const line of lines(server)) expect(["warn", "error", "fatal"]).toContain(line.level);
      } finally {
        await server.stop();
      }
    });
  });

  describe("at LOG_LEVEL=debug, after a session of real work", () => {
    let server: SpawnedServer;
    let smtp: SmtpInbox;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      smtp = await startSmtp();
      receiver = await startReceiver();
      server = await spawnServer({
        env: {
          DATABASE_URL: await store.url(),
          KEYDESK_DEMO: "1",
          LOG_FORMAT: "json",
          LOG_LEVEL: "debug",
          SMTP_URL: smtp.url,
          KEYDESK_WEBHOOK_ALLOW_HTTP: "1",
          KEYDESK_WEBHOOK_ALLOW_PRIVATE: "1",
          KEYDESK_WEBHOOK_POLL_MS: "100",
        },
      });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
      await receiver?.close();
      await smtp?.close();
    });

    it("no secret it made or was sent appears in any line", { timeout: 120_000 }, async () => {
      const secrets: string[] = [DEMO_PASSWORD];
      const keep = (value: unknown) => {
        expect(typeof value, String(value)).toBe("string");
        expect(String(value).length).toBeGreaterThan(8);
        secrets.push(String(value));
        return String(value);
      };

      // Sessions: a password sign-in, and a failed one with a wrong password.
      const admin = keep(await signIn(server, DEMO_USERS.admin.email, DEMO_PASSWORD));
      const wrongPassword = keep("not-the-password-Zq81xw");
      expect(
        (
          await call(server, "POST", "/v2/sessions", {
            body: { email: DEMO_USERS.admin.email, password: wrongPassword },
          })
        ).status,
      ).toBe(401);

      // Keys: created, refreshed, a service key; each raw key used.
      const me = (await call(server, "GET", "/v2/me", { token: admin })).json as {
        organizations: { id: string; name: string; spaces: { id: string; name: string }[] }[];
      };
      const platform = me.organizations.find((o) => o.name === "Platform");
      const production = platform?.spaces.find((s) => s.name === "Production");
      const userKey = await call(server, "POST", "/v2/api-keys", {
        token: admin,
        body: { name: "secret grep" },
      });
      expect(userKey.status).toBe(201);
      keep(userKey.json.key);
      const refreshed = await call(server, "POST", `/v2/api-keys/${String(userKey.json.id)}/refresh`, {
        token: admin,
        body: {},
      });
      expect(refreshed.status, refreshed.text).toBe(200);
      const refreshedKey = keep(refreshed.json.key);
      const serviceKey = await call(server, "POST", "/v2/api-keys", {
        token: admin,
        body: { name: "secret grep service", key_type: "service", space_id: production?.id },
      });
      expect(serviceKey.status, serviceKey.text).toBe(201);
      keep(serviceKey.json.key);
      expect((await call(server, "GET", "/v2/me", { token: refreshedKey })).status).toBe(200);

      // Webhooks with their secrets — a signing secret, a bearer token, a custom header — and deliveries
      // that carry them.
      const signed = await call(server, "POST", "/v2/webhooks", {
        token: admin,
        body: { organization_id: platform?.id, name: "Signed", url: receiver.url, auth_type: "HMAC_SHA256" },
      });
      expect(signed.status, signed.text).toBe(201);
      keep(signed.json.signing_secret);
      const bearer = await call(server, "POST", "/v2/webhooks", {
        token: admin,
        body: {
          organization_id: platform?.id,
          name: "Bearer",
          url: receiver.url,
          auth_token: keep(`webhook-token-${"T".repeat(30)}`),
          headers: { "x-receiver-key": keep(`webhook-header-${"H".repeat(30)}`) },
        },
      });
      expect(bearer.status, bearer.text).toBe(201);
      for (const webhook of [signed, bearer]) {
        const subscribed = await call(server, "POST", "/v2/webhook-subscriptions", {
          token: admin,
          body: {
            webhook_id: webhook.json.id,
            source_type: "SPACE",
            source_id: production?.id,
            event: "API_KEY_CREATED",
          },
        });
        expect(subscribed.status, subscribed.text).toBe(201);
      }
      const another = await call(server, "POST", "/v2/api-keys", {
        token: admin,
        body: { name: "delivered", key_type: "service", space_id: production?.id },
      });
      keep(another.json.key);
      await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThanOrEqual(2), { timeout: 30_000 });

      // An invitation by email: its token from the mail, looked at, its page opened, then joined.
      const invitee = `logs-${Date.now()}@example.com`;
      const invited = await call(server, "POST", "/v2/users", {
        token: admin,
        body: { name: "Log Invitee", email: invitee, role: "member", invite_mode: "EMAIL_LINK" },
      });
      expect(invited.status, invited.text).toBe(201);
      await vi.waitFor(() => expect(smtp.inbox.some((m) => m.to.includes(invitee))).toBe(true), {
        timeout: 15_000,
      });
      const invitation = keep(
        /\/invite\/([A-Za-z0-9_-]+)/.exec(mailText(smtp.inbox.find((m) => m.to.includes(invitee))))?.[1],
      );
      expect((await call(server, "GET", `/v2/invitations/${invitation}`)).status).toBe(200);
      expect((await call(server, "GET", `/invite/${invitation}`)).status).toBe(200);
      const joinedPassword = keep("joined-with-this-Pw-93ka");
      const joined = await call(server, "POST", `/v2/invitations/${invitation}`, {
        body: { password: joinedPassword },
      });
      expect(joined.status, joined.text).toBe(201);
      keep(joined.json.token);

      // A temporary password, returned once.
      const temporary = await call(server, "POST", "/v2/users", {
        token: admin,
        body: {
          name: "Log Temp",
          email: `temp-${invitee}`,
          role: "member",
          invite_mode: "TEMPORARY_PASSWORD",
        },
      });
      expect(temporary.status, temporary.text).toBe(201);
      keep(temporary.json.temporary_password);

      // A password reset by email: its token from the mail, its page opened.
      expect(
        (await call(server, "POST", "/v2/password-resets", { body: { email: DEMO_USERS.member.email } }))
          .status,
      ).toBeLessThan(300);
      await vi.waitFor(
        () => expect(smtp.inbox.some((m) => m.to.includes(DEMO_USERS.member.email))).toBe(true),
        {
          timeout: 15_000,
        },
      );
      const reset = keep(
        /\/reset-password\/([A-Za-z0-9_-]+)/.exec(
          mailText(smtp.inbox.find((m) => m.to.includes(DEMO_USERS.member.email))),
        )?.[1],
      );
      expect((await call(server, "GET", `/reset-password/${reset}`)).status).toBe(200);

      // The dashboard with the session cookie: Next.js renders pages that call the API with the token.
      const cookie = { cookie: `keydesk_session=${admin}` };
      expect((await call(server, "GET", "/settings/api-keys", { headers: cookie })).status).toBe(200);

      // Failed calls that send secrets every way a client might: header, cookie, body, query.
      const madeUpKey = keep(`ak-${"0".repeat(8)}-madeup${"Q".repeat(40)}`);
      const madeUpSession = keep(`kds_madeup${"R".repeat(40)}`);
      expect((await call(server, "GET", "/v2/me", { token: madeUpKey })).status).toBe(401);
      expect(
        (await call(server, "GET", "/v2/me", { headers: { authorization: `Basic ${madeUpSession}` } }))
          .status,
      ).toBe(401);
      expect(
        (await call(server, "GET", "/v2/me", { headers: { cookie: `keydesk_session=${madeUpSession}` } }))
          .status,
      ).toBe(401);
      expect(
        (
          await call(server, "GET", "/settings/api-keys", {
            headers: { cookie: `keydesk_session=${madeUpSession}` },
          })
        ).status,
      ).toBeLessThan(500);
      const inQuery = keep(`query-secret-${"S".repeat(30)}`);
      await call(server, "GET", `/v2/me?api_key=${inQuery}&token=${inQuery}`);
      await call(server, "GET", `/login?token=${inQuery}`);
      const inBody = keep(`body-secret-${"B".repeat(30)}`);
      await call(server, "POST", "/v2/api-keys/lookup", { token: admin, body: { key: inBody } });
      await call(server, "POST", "/v2/api-keys", {
        token: admin,
        body: { name: 42, key: inBody, password: inBody },
      });
      await call(server, "POST", "/v2/sessions", { body: { email: inBody, password: inBody } });
      await call(server, "POST", `/v2/invitations/${inBody}`, { body: { password: inBody } });
      await call(server, "POST", "/v2/sessions", {
        headers: { "content-type": "text/plain" },
        body: inBody,
      });

      // The last request's line is written: everything before it is too.
      await call(server, "GET", "/healthz", { headers: { "x-request-id": "last-of-the-session" } });
      const last = await loggedRequest(server, "last-of-the-session");
      // At debug, probes are written (so the info test above would see one if it were logged there).
      expect(last).toMatchObject({ level: "debug", route: "(health)" });

      const output = server.output();
      const all = lines(server);
      expect(all.filter((l) => l.msg === "request").length).toBeGreaterThan(20);
      // Reads that succeeded are written at debug.
      expect(
        all.some(
          (l) =>
            l.msg === "request" &&
            l.level === "debug" &&
            l.method === "GET" &&
            l.status === 200 &&
            String(l.route).startsWith("/v2/"),
        ),
      ).toBe(true);
      for (const secret of secrets)
        expect(output.includes(secret), `a secret in the log: ${secret.slice(0, 6)}…`).toBe(false);
      // Nor anything shaped like a key or a session token, whoever made it.
      expect(output.match(KEY_SEARCH_PATTERN) ?? []).toEqual([]);
      expect(output).not.toMatch(/kds_[A-Za-z0-9_-]{20,}/);
    });
  });
});
