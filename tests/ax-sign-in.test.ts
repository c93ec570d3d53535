/**
 * The `ax` CLI's authorization server (issue 21) over real HTTP against server.ts, driven by hand as
 * the CLI and a browser drive it (lib/testing/cli-oauth-client.ts): PKCE S256 required, loopback
 * redirects only, single-use codes, the access token on /v2 as the person, refresh tokens that rotate
 * and whose reuse kills the grant, revocation, blocked people, expiry, the approval bound to the
 * browser that started it, signed-in apps and their audit rows. On PGlite and PostgreSQL; on
 * PostgreSQL a second instance over the same database answers steps the first one began.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CliOAuthClient, pkcePair } from "../lib/testing/cli-oauth-client";
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from "../lib/testing/demo-viewers";
import { spawnServer, type SpawnedServer } from "../lib/testing/spawn-server";
import { openScratchPostgres, type TestDatabaseHandle } from "../lib/testing/test-databases";

interface Store {
  name: string;
  /** The DATABASE_URL of the first server, and of the short-TTL one (the same database when it can be shared). */
  urls: () => Promise<{ main: string; shortTtl: string }>;
  cleanup: () => Promise<void>;
}

const stores: Store[] = [
  {
    name: "pglite",
    urls: () => Promise.resolve({ main: "pglite:memory", shortTtl: "pglite:memory" }),
    cleanup: async () => undefined,
  },
];
if (process.env.TEST_DATABASE_URL) {
  const base = process.env.TEST_DATABASE_URL;
  let handle: TestDatabaseHandle | undefined;
  stores.unshift({
    name: "postgres",
    urls: async () => {
      handle = await openScratchPostgres(base);
      return { main: handle.url, shortTtl: handle.url };
    },
    cleanup: async () => handle?.close(),
  });
}

async function call(baseUrl: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function signIn(baseUrl: string, who: DemoUser): Promise<string> {
  const res = await call(baseUrl, "POST", "/v2/sessions", undefined, {
    email: DEMO_USERS[who].email,
    password: DEMO_PASSWORD,
  });
  expect(res.status).toBe(201);
  return String(res.json.token);
}

function decodeJwt(token: string): Record<string, unknown> {
  const [, payload = ""] = token.split(".");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe.each(stores)("the ax CLI's authorization server on $name", (store) => {
  let server: SpawnedServer | undefined;
  let shortTtl: SpawnedServer | undefined;
  let base = "";
  let ada = "";
  let max = "";
  let databaseUrl = "";
  /** Every code and token this suite was given, and the sessions: none may reach the servers' output. */
  const issued: string[] = [];

  beforeAll(async () => {
    const urls = await store.urls();
    databaseUrl = urls.shortTtl;
    server = await spawnServer({ env: { DATABASE_URL: urls.main, KEYDESK_DEMO: "1" }, timeoutMs: 200_000 });
    base = server.baseUrl;
    ada = await signIn(base, "admin");
    max = await signIn(base, "member");
    issued.push(ada, max);
    // A second instance whose access tokens live 2 seconds: on PostgreSQL over the same database.
    shortTtl = await spawnServer({
      env: { DATABASE_URL: urls.shortTtl, KEYDESK_DEMO: "1", KEYDESK_OAUTH_ACCESS_TOKEN_TTL: "2" },
      timeoutMs: 200_000,
    });
  }, 420_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), shortTtl?.stop()]);
    await store.cleanup();
  });

  /** A signed-in CLI: the token endpoint's answer for a fresh login of `session`'s person. */
  async function login(session: string, baseUrl = base) {
    const client = new CliOAuthClient(baseUrl);
    const { verifier, challenge } = pkcePair();
    const { code } = await client.codeFor(session, { challenge });
    const answer = await client.exchange(code, verifier);
    expect(answer.status).toBe(200);
    issued.push(code, String(answer.body.access_token), String(answer.body.refresh_token));
    return {
      client,
      tokens: answer.body as { access_token: string; refresh_token: string; id_token: string },
    };
  }

  const meStatus = async (token: string, baseUrl = base) =>
    (await call(baseUrl, "GET", "/v2/me", token)).status;

  it("[member] signs in: the token answer has what the CLI reads, and the access token is Max on /v2/me with his roles", async () => {
    const client = new CliOAuthClient(base);
    const { verifier, challenge } = pkcePair();
    const { callback, code, state } = await client.codeFor(max, { challenge, state: "s-123" });
    expect(`${callback.origin}${callback.pathname}`).toBe("http://127.0.0.1:8765/callback");
    expect(state).toBe("s-123");
    expect(callback.searchParams.get("state")).toBe("s-123");
    const answer = await client.exchange(code, verifier);
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(typeof body.access_token).toBe("string");
    expect(typeof body.refresh_token).toBe("string");
    expect(body.expires_in).toBe(3600);
    expect(body.token_type).toBe("Bearer");
    const idToken = decodeJwt(String(body.id_token));
    expect(idToken).toMatchObject({
      email: DEMO_USERS.member.email,
      name: DEMO_USERS.member.name,
      aud: "arize-cli",
    });

    const viaCli = await call(base, "GET", "/v2/me", String(body.access_token));
    const viaSession = await call(base, "GET", "/v2/me", max);
    expect(viaCli.status).toBe(200);
    expect(viaCli.json.user).toEqual(viaSession.json.user);
    expect(viaCli.json.organizations).toEqual(viaSession.json.organizations);
    expect(viaCli.json.account_role).toBe(viaSession.json.account_role);
    expect(idToken.sub).toBe((viaSession.json.user as { id: string }).id);
    // It lists keys like the person does.
    expect((await call(base, "GET", "/v2/api-keys", String(body.access_token))).status).toBe(200);
    // It is not a dashboard session: it cannot sign out as one (ax auth logout revokes it instead).
    expect((await call(base, "DELETE", "/v2/sessions/current", String(body.access_token))).status).toBe(400);
    expect(await meStatus(String(body.access_token))).toBe(200);
  });

  it("refuses an authorization request without PKCE or with plain PKCE, back at the loopback with invalid_request", async () => {
    const client = new CliOAuthClient(base);
    for (const options of [
      { challenge: null, method: null },
      { challenge: "a".repeat(43), method: "plain" },
      { method: null },
    ]) {
      const res = await client.authorize("st", options);
      expect(res.status).toBe(303);
      const to = new URL(res.headers.get("location") ?? "", base);
      expect(`${to.origin}${to.pathname}`).toBe("http://127.0.0.1:8765/callback");
      expect(to.searchParams.get("error")).toBe("invalid_request");
    }
  });

  it("accepts loopback redirects on any port and refuses every other redirect URI without redirecting", async () => {
    const client = new CliOAuthClient(base);
    for (const redirectUri of [
      "http://127.0.0.1:1/callback",
      "http://localhost:65000/callback",
      "http://127.0.0.1/callback",
    ]) {
      const res = await client.authorize("st", { redirectUri });
      expect(res.status, redirectUri).toBe(303);
      expect(res.headers.get("location"), redirectUri).toMatch(/^\/cli\/authorize\/[\w-]+$/);
    }
    for (const redirectUri of [
      "http://evil.example/callback",
      "http://127.0.0.1.evil.example:1/callback",
      "https://127.0.0.1:1/callback",
      "http://127.0.0.1:1/elsewhere",
      "http://[::2]:1/callback",
    ]) {
      const res = await client.authorize("st", { redirectUri });
      expect(res.status, redirectUri).toBe(400);
      expect(res.headers.get("location"), redirectUri).toBeNull();
      expect(await res.text(), redirectUri).toContain("redirect_uri");
    }
  });

  it("refuses a wrong verifier, and a code used twice (which also ends the tokens it gave)", async () => {
    const client = new CliOAuthClient(base);
    const { verifier, challenge } = pkcePair();
    const first = await client.codeFor(ada, { challenge });
    const wrong = await client.exchange(first.code, pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");

    const second = await client.codeFor(ada, { challenge });
    const ok = await client.exchange(second.code, verifier);
    expect(ok.status).toBe(200);
    const access = String(ok.body.access_token);
    expect(await meStatus(access)).toBe(200);
    const again = await client.exchange(second.code, verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    expect(await meStatus(access)).toBe(401);
    // The redirect URI of the exchange must be the authorization's.
    const third = await client.codeFor(ada, { challenge });
    const otherRedirect = await client.exchange(third.code, verifier, "http://127.0.0.1:9999/callback");
    expect(otherRedirect.status).toBe(400);
  });

  it("rotates refresh tokens; reusing an old one ends the whole grant (RFC 9700 §4.14)", async () => {
    const { client, tokens } = await login(ada);
    const rotated = await client.refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const next = rotated.body as { access_token: string; refresh_token: string; expires_in: number };
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.expires_in).toBe(3600);
    expect(await meStatus(next.access_token)).toBe(200);

    const reused = await client.refresh(tokens.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");
    expect(await meStatus(next.access_token)).toBe(401);
    expect(await meStatus(tokens.access_token)).toBe(401);
    expect((await client.refresh(next.refresh_token)).status).toBe(400);
  });

  it("two refreshes racing with one refresh token: at most one wins, and the grant ends (reuse)", async () => {
    const { client, tokens } = await login(ada);
    const answers = await Promise.all([
      client.refresh(tokens.refresh_token),
      client.refresh(tokens.refresh_token),
    ]);
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(1);
    expect(answers.some((a) => a.status === 400 && a.body.error === "invalid_grant")).toBe(true);
    for (const answer of answers.filter((a) => a.status === 200)) {
      expect(await meStatus(String(answer.body.access_token))).toBe(401);
      expect((await client.refresh(String(answer.body.refresh_token))).status).toBe(400);
    }
    expect(await meStatus(tokens.access_token)).toBe(401);
  });

  it("revokes either token and the other with it (what ax auth logout sends); unknown tokens are answered 200", async () => {
    const first = await login(ada);
    expect(await first.client.revoke(first.tokens.access_token)).toBe(200);
    expect(await meStatus(first.tokens.access_token)).toBe(401);
    expect((await first.client.refresh(first.tokens.refresh_token)).status).toBe(400);

    const second = await login(ada);
    expect(await second.client.revoke(second.tokens.refresh_token)).toBe(200);
    expect(await meStatus(second.tokens.access_token)).toBe(401);
    expect((await second.client.refresh(second.tokens.refresh_token)).status).toBe(400);
    // RFC 7009 §2.2.
    expect(await second.client.revoke("not-a-token")).toBe(200);
  });

  it("[read-only] a blocked person's tokens stop working, access and refresh, and stay ended after Unblock", async () => {
    const riley = await signIn(base, "readOnly");
    const { client, tokens } = await login(riley);
    expect(await meStatus(tokens.access_token)).toBe(200);
    const me = await call(base, "GET", "/v2/me", riley);
    const rileyId = (me.json.user as { id: string }).id;
    expect((await call(base, "DELETE", `/v2/users/${encodeURIComponent(rileyId)}`, ada)).status).toBe(204);
    expect(await meStatus(tokens.access_token)).toBe(401);
    const refreshed = await client.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_grant");
    // Unblocking does not bring the sign-in back (blocking ended it, as it ends sessions).
    expect((await call(base, "POST", `/v2/users/${encodeURIComponent(rileyId)}/unblock`, ada)).status).toBe(
      204,
    );
    expect(await meStatus(tokens.access_token)).toBe(401);
    expect((await client.refresh(tokens.refresh_token)).status).toBe(400);
  });

  it("approval needs the person's dashboard session and the browser that started the sign-in; Deny sends access_denied", async () => {
    const client = new CliOAuthClient(base);
    const started = await client.authorize("st");
    const uid = /\/cli\/authorize\/([\w-]+)/.exec(started.headers.get("location") ?? "")?.[1] ?? "";
    expect(uid).not.toBe("");
    // Another browser (no interaction cookies, or forged ones) cannot approve it.
    expect((await client.decide(uid, max, "approve", "")).status).toBe(404);
    expect(
      (await client.decide(uid, max, "approve", `_interaction=${uid}; _interaction.sig=forged`)).status,
    ).toBe(404);
    // Nor can a credential other than a dashboard session.
    const { tokens } = await login(max);
    expect((await client.decide(uid, tokens.access_token, "approve")).status).toBe(403);
    const key = await call(base, "POST", "/v2/api-keys", max, { name: "not for approvals" });
    expect((await client.decide(uid, String(key.json.key), "approve")).status).toBe(403);
    // The page's read of it.
    const details = await fetch(`${base}/v2/oauth2/interactions/${uid}`, {
      headers: {
        authorization: `Bearer ${max}`,
        "x-keydesk-interaction-cookie": client.jar.header(["_interaction", "_interaction.sig"]),
      },
    });
    expect(details.status).toBe(200);
    expect(await details.json()).toEqual({
      uid,
      client_id: "arize-cli",
      client_name: "ax CLI",
      scopes: ["openid", "email"],
    });

    const denied = await client.decide(uid, max, "deny");
    expect(denied.status).toBe(200);
    const callback = await client.follow(String(denied.body.redirect_to));
    expect(`${callback.origin}${callback.pathname}`).toBe("http://127.0.0.1:8765/callback");
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("code")).toBeNull();
  });

  it("lists the person's signed-in apps; Revoke ends one at once; every step is in the audit log", async () => {
    const appIds = async () =>
      ((await call(base, "GET", "/v2/me/signed-in-apps", ada)).json.signed_in_apps as { id: string }[]).map(
        (a) => a.id,
      );
    // Ada has signed in before in this suite, maybe within the same second: this sign-in's app is the
    // one that was not there before it.
    const before = await appIds();
    const { client, tokens } = await login(ada);
    await client.refresh(tokens.refresh_token).then(async (r) => {
      expect(r.status).toBe(200);
      tokens.access_token = String(r.body.access_token);
    });
    const list = await call(base, "GET", "/v2/me/signed-in-apps", ada);
    expect(list.status).toBe(200);
    const apps = list.json.signed_in_apps as { id: string; client_name: string; expires_at: string }[];
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.every((a) => a.client_name === "ax CLI")).toBe(true);
    // Max sees none of Ada's, and cannot revoke hers.
    const maxApps = (await call(base, "GET", "/v2/me/signed-in-apps", max)).json.signed_in_apps as {
      id: string;
    }[];
    const newest = apps.find((a) => !before.includes(a.id))?.id ?? "";
    expect(newest).not.toBe("");
    expect(maxApps.map((a) => a.id)).not.toContain(newest);
    expect((await call(base, "DELETE", `/v2/me/signed-in-apps/${newest}`, max)).status).toBe(404);

    expect(await meStatus(tokens.access_token)).toBe(200);
    expect((await call(base, "DELETE", `/v2/me/signed-in-apps/${newest}`, ada)).status).toBe(204);
    expect(await meStatus(tokens.access_token)).toBe(401);
    const after = (await call(base, "GET", "/v2/me/signed-in-apps", ada)).json.signed_in_apps as {
      id: string;
    }[];
    expect(after.map((a) => a.id)).not.toContain(newest);

    const adaId = ((await call(base, "GET", "/v2/me", ada)).json.user as { id: string }).id;
    for (const operation of ["oauth.authorize", "oauth.token_refresh", "oauth.revoke"]) {
      const logs = await call(base, "GET", `/v2/audit-logs?operation_name=${operation}&limit=100`, ada);
      expect(logs.status, operation).toBe(200);
      const rows = logs.json.logs as { operation_name: string; user_id?: string }[];
      expect(
        rows.some((r) => r.operation_name === operation && r.user_id === adaId),
        operation,
      ).toBe(true);
    }
  });

  it("an access token stops working when it expires (KEYDESK_OAUTH_ACCESS_TOKEN_TTL=2); refresh gives a new one", async () => {
    const other = shortTtl?.baseUrl ?? "";
    const session = await signIn(other, "admin");
    const { client, tokens } = await login(session, other);
    expect(await meStatus(tokens.access_token, other)).toBe(200);
    await vi.waitFor(async () => expect(await meStatus(tokens.access_token, other)).toBe(401), {
      timeout: 20_000,
      interval: 250,
    });
    if (databaseUrl.startsWith("postgres")) {
      // The next sign-in's start sweeps expired records (the token above among them).
      await new CliOAuthClient(other).authorize("sweep");
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query<{ n: string }>(
          "select count(*) as n from oauth_records where expires_at <= now()",
        );
        expect(Number(rows[0]?.n)).toBe(0);
      } finally {
        await db.end();
      }
    }
    const refreshed = await client.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.expires_in).toBe(2);
    expect(await meStatus(String(refreshed.body.access_token), other)).toBe(200);
  });

  it.runIf(store.name === "postgres")(
    "a sign-in begun on one instance finishes on another over the same database",
    async () => {
      const other = shortTtl?.baseUrl ?? "";
      const client = new CliOAuthClient(base);
      const { verifier, challenge } = pkcePair();
      const { code } = await client.codeFor(ada, { challenge });
      const answer = await new CliOAuthClient(other).exchange(code, verifier);
      expect(answer.status).toBe(200);
      expect(await meStatus(String(answer.body.access_token), base)).toBe(200);
    },
  );

  it("writes no code, token or session to the servers' output", () => {
    expect(issued.length).toBeGreaterThan(10);
    const output = `${server?.output() ?? ""}${shortTtl?.output() ?? ""}`;
    expect(output).toContain("Keydesk ready on");
    for (const secret of issued) expect(output).not.toContain(secret);
  });
});
