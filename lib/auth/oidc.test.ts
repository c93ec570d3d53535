/**
 * Single sign-on against a real provider: `oidc-provider` on a loopback port (lib/testing/
 * oidc-test-provider.ts), reached over real HTTP by the relying party; the browser's part is fetch with
 * manual redirects and a cookie jar. The keys API runs in process over PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditLog, users } from "../db/schema";
import { decodeId } from "../domain/ids";
import { createHarness, type ApiHarness } from "../testing/api-harness";
import { meOf, setupDemo, type Demo } from "../testing/api-keys-test-kit";
import { DEMO_PASSWORD, DEMO_USERS } from "../testing/demo-viewers";
import { startOidcTestProvider, type OidcTestProvider } from "../testing/oidc-test-provider";
import { startSmtp } from "../testing/smtp-inbox";
import { testDatabases } from "../testing/test-databases";
import type { SignInConfig } from "./oidc-config";

const PUBLIC_URL = "http://keydesk.test";
const CALLBACK = `${PUBLIC_URL}/auth/oidc/callback`;

let provider: OidcTestProvider;
beforeAll(async () => {
  provider = await startOidcTestProvider({ redirectUris: [CALLBACK] });
});
afterAll(() => provider.stop());

function signInConfig(
  over: Partial<NonNullable<SignInConfig["oidc"]>> = {},
  passwordSignIn = true,
): SignInConfig {
  return {
    passwordSignIn,
    oidc: {
      issuer: new URL(provider.issuer),
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      name: "Test SSO",
      scopes: "openid email profile",
      autoProvision: null,
      allowedDomains: null,
      ...over,
    },
  };
}

/** Cookies by name from a response's Set-Cookie fields (value "" = deleted). */
function setCookies(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}

interface SsoOutcome {
  /** The callback's answer (302 to the dashboard or to /login?error=…). */
  res: Response;
  location: string;
  session: string | undefined;
  cookies: Map<string, string>;
}

/**
 * The browser's part of a sign-in: Keydesk's start (in process), the provider's redirects (over HTTP,
 * its cookies kept), then Keydesk's callback with the flow cookie. `alter` changes the callback URL
 * or the cookie before it is sent (an attacker's state, no cookie).
 */
async function ssoSignIn(
  apps: { start: ApiHarness; callback?: ApiHarness },
  sub: string,
  alter: { callbackUrl?: (url: URL) => URL; flowCookie?: (value: string) => string | null } = {},
): Promise<SsoOutcome> {
  provider.nextLogin = sub;
  const start = await apps.start.request("GET", "/auth/oidc/start?next=/settings/spaces");
  expect(start.status).toBe(302);
  const flow = setCookies(start).get("keydesk_oidc_flow");
  expect(flow).toBeTruthy();
  let location = start.headers.get("location") ?? "";
  expect(location.startsWith(`${provider.issuer}/auth?`)).toBe(true);
  const providerJar = new Map<string, string>();
  for (let hops = 0; !location.startsWith(CALLBACK); hops++) {
    if (hops > 10) throw new Error(`too many redirects at the provider, last ${location}`);
    const res = await fetch(new URL(location, provider.issuer), {
      redirect: "manual",
      headers: { cookie: [...providerJar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const [k, v] of setCookies(res)) providerJar.set(k, v);
    if (res.status !== 302 && res.status !== 303)
      throw new Error(`provider answered ${res.status}: ${await res.text()}`);
    location = new URL(res.headers.get("location") ?? "", provider.issuer).href;
  }
  let callbackUrl = new URL(location);
  if (alter.callbackUrl) callbackUrl = alter.callbackUrl(callbackUrl);
  const cookie = alter.flowCookie ? alter.flowCookie(flow ?? "") : flow;
  const res = await (apps.callback ?? apps.start).request(
    "GET",
    `${callbackUrl.pathname}${callbackUrl.search}`,
    {
      headers: cookie === null ? {} : { cookie: `keydesk_oidc_flow=${cookie}` },
    },
  );
  expect(res.status).toBe(302);
  const cookies = setCookies(res);
  return {
    res,
    location: res.headers.get("location") ?? "",
    session: cookies.get("keydesk_session"),
    cookies,
  };
}

describe.each(testDatabases())("single sign-on with OpenID Connect ($name)", (database) => {
  let d: Demo;
  beforeEach(async () => {
    provider.rewriteIdToken = null;
    d = await setupDemo(database, { config: { publicUrl: PUBLIC_URL, signIn: signInConfig() } });
  });
  afterEach(() => d.harness.close());

  /** Invites a person through the API as Ada, in the given mode; their public id. */
  const invite = async (email: string, mode: "NONE" | "EMAIL_LINK" = "NONE") => {
    const res = await d.harness.request("POST", "/v2/users", {
      token: d.tokens.admin,
      body: { name: "Sam Sso", email, role: "member", invite_mode: mode },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const userRow = async (email: string) =>
    (await d.harness.handle.db.select().from(users).where(eq(users.email, email)))[0];
  const signInRows = (userId: string) =>
    d.harness.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "session.sign_in"), eq(auditLog.actorUserId, userId)));
  /** What the relying party logged for the operator (console.warn JSON lines) during `run`. */
  const warnedDuring = async (run: () => Promise<void>): Promise<string> => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await run();
      return spy.mock.calls.map((call) => String(call[0])).join("\n");
    } finally {
      spy.mockRestore();
    }
  };
  const refused = (outcome: SsoOutcome, error: string) => {
    expect(outcome.location).toBe(`/login?error=${error}`);
    expect(outcome.session).toBeUndefined();
  };

  it("[invited, NONE] signs in by the provider (their only way in): `sub` pinned, the session works on /v2/me, one session.sign_in row with method oidc", async () => {
    const email = `sam-${randomUUID()}@example.com`;
    const id = await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true, name: "Sam at the provider" });
    // Invited with NONE: active, no password, no identity yet.
    expect(await userRow(email)).toMatchObject({ status: "active", passwordHash: null, oidcSubject: null });

    const outcome = await ssoSignIn({ start: d.harness }, sub);
    expect(outcome.location).toBe("/settings/spaces");
    expect(outcome.session).toMatch(/^kds_/);
    const setCookie = outcome.res.headers.getSetCookie().find((c) => c.startsWith("keydesk_session="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Expires=/);
    // The flow's cookie is gone once used.
    expect(outcome.cookies.get("keydesk_oidc_flow")).toBe("");

    const me = await meOf(d.harness, outcome.session ?? "");
    expect(me.user.id).toBe(id);
    const row = await userRow(email);
    expect(row).toMatchObject({ status: "active", oidcSubject: sub });
    const rows = await signInRows(decodeId("User", id) ?? "");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({ method: "oidc" });
    expect(rows[0]?.targetType).toBe("session");

    // A second sign-in with the same `sub` works too.
    const again = await ssoSignIn({ start: d.harness }, sub);
    expect(again.session).toMatch(/^kds_/);
    expect(await signInRows(decodeId("User", id) ?? "")).toHaveLength(2);
  });

  it("[active member] Max signs in by the provider; the callback may land on another instance over the same database", async () => {
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email: DEMO_USERS.member.email.toUpperCase(), email_verified: true });
    const other = await createHarnessOn(d);
    try {
      const outcome = await ssoSignIn({ start: d.harness, callback: other }, sub);
      expect(outcome.location).toBe("/settings/spaces");
      expect((await meOf(d.harness, outcome.session ?? "")).user.id).toBe(d.userIds.member);
    } finally {
      await other.app.close();
    }
  });

  it("a callback whose state is not the flow's is refused (sso_failed), and so is one without the flow's cookie or with a changed one", async () => {
    const email = `st-${randomUUID()}@example.com`;
    await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    refused(
      await ssoSignIn({ start: d.harness }, sub, {
        callbackUrl: (url) => {
          url.searchParams.set("state", "an-attackers-state");
          return url;
        },
      }),
      "sso_failed",
    );
    refused(await ssoSignIn({ start: d.harness }, sub, { flowCookie: () => null }), "sso_failed");
    refused(
      await ssoSignIn({ start: d.harness }, sub, {
        flowCookie: (v) => `${v.slice(0, -4)}${v.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`,
      }),
      "sso_failed",
    );
    expect((await userRow(email))?.oidcSubject).toBeNull();
    // The same person, untouched, signs in: the refusals above were the checks'.
    expect((await ssoSignIn({ start: d.harness }, sub)).session).toMatch(/^kds_/);
  });

  it("an ID token with another nonce, or none, is refused (sso_failed)", async () => {
    const email = `nonce-${randomUUID()}@example.com`;
    await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    provider.rewriteIdToken = (claims) => ({ ...claims, nonce: "another-nonce" });
    const logged = await warnedDuring(async () => {
      refused(await ssoSignIn({ start: d.harness }, sub), "sso_failed");
    });
    expect(logged).toMatch(/nonce/);
    provider.rewriteIdToken = ({ nonce: _nonce, ...claims }) => claims;
    refused(await ssoSignIn({ start: d.harness }, sub), "sso_failed");
    // The provider's unchanged token passes: what failed above was the nonce.
    provider.rewriteIdToken = (claims) => ({ ...claims });
    expect((await ssoSignIn({ start: d.harness }, sub)).session).toMatch(/^kds_/);
  });

  it("an ID token minted for another client (audience) is refused (sso_failed)", async () => {
    const email = `aud-${randomUUID()}@example.com`;
    await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    provider.rewriteIdToken = (claims) => ({ ...claims, aud: "another-client", azp: "another-client" });
    const before = provider.tokenRequests;
    const logged = await warnedDuring(async () => {
      refused(await ssoSignIn({ start: d.harness }, sub), "sso_failed");
    });
    expect(provider.tokenRequests).toBe(before + 1);
    // The operator's line says why, and carries no secret.
    expect(logged).toMatch(/"msg":"single sign-on callback failed".*aud/);
    expect(logged).not.toContain(provider.clientSecret);
    expect((await userRow(email))?.oidcSubject).toBeNull();
  });

  it("an expired ID token is refused (sso_failed)", async () => {
    const email = `exp-${randomUUID()}@example.com`;
    await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    const now = Math.floor(Date.now() / 1000);
    provider.rewriteIdToken = (claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 });
    const logged = await warnedDuring(async () => {
      refused(await ssoSignIn({ start: d.harness }, sub), "sso_failed");
    });
    expect(logged).toMatch(/exp/);
  });

  it("a sign-in whose callback comes more than 10 minutes after its start is refused (sso_failed): the flow's cookie has expired", async () => {
    const email = `late-${randomUUID()}@example.com`;
    await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    const late = await ssoSignIn({ start: d.harness }, sub, {
      callbackUrl: (url) => {
        d.harness.clock.advance(10 * 60 * 1000);
        return url;
      },
    });
    refused(late, "sso_failed");
    expect((await userRow(email))?.oidcSubject).toBeNull();
  });

  it("an unverified email is refused (sso_email_unverified), and one the provider says nothing about", async () => {
    const email = `unv-${randomUUID()}@example.com`;
    await invite(email);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: false });
    refused(await ssoSignIn({ start: d.harness }, sub), "sso_email_unverified");
    provider.setAccount(sub, { email });
    refused(await ssoSignIn({ start: d.harness }, sub), "sso_email_unverified");
    expect((await userRow(email))?.oidcSubject).toBeNull();
  });

  it("[blocked] a blocked person is refused (sso_blocked)", async () => {
    const res = await d.harness.request("DELETE", `/v2/users/${encodeURIComponent(d.userIds.member)}`, {
      token: d.tokens.admin,
    });
    expect(res.status).toBe(204);
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email: DEMO_USERS.member.email, email_verified: true });
    refused(await ssoSignIn({ start: d.harness }, sub), "sso_blocked");
  });

  it("after the provider moves the email to another identity (another `sub`), that identity is refused (sso_subject_mismatch)", async () => {
    const email = `move-${randomUUID()}@example.com`;
    await invite(email);
    const first = `sub-${randomUUID()}`;
    provider.setAccount(first, { email, email_verified: true });
    expect((await ssoSignIn({ start: d.harness }, first)).session).toMatch(/^kds_/);
    // At the provider the address now belongs to someone else.
    const second = `sub-${randomUUID()}`;
    provider.setAccount(first, { email: `old-${email}`, email_verified: true });
    provider.setAccount(second, { email, email_verified: true });
    refused(await ssoSignIn({ start: d.harness }, second), "sso_subject_mismatch");
    expect((await userRow(email))?.oidcSubject).toBe(first);
  });

  it("an unknown email is refused (sso_no_account) and its email comes back in a short-lived cookie for /login only", async () => {
    const email = `nobody-${randomUUID()}@example.com`;
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    const outcome = await ssoSignIn({ start: d.harness }, sub);
    refused(outcome, "sso_no_account");
    expect(outcome.location).not.toContain(email);
    expect(decodeURIComponent(outcome.cookies.get("keydesk_oidc_email") ?? "")).toBe(email);
    const line = outcome.res.headers.getSetCookie().find((c) => c.startsWith("keydesk_oidc_email="));
    expect(line).toMatch(/Path=\/login/);
    expect(line).toMatch(/Max-Age=300/);
    expect(line).toMatch(/HttpOnly/i);
    expect(await userRow(email)).toBeUndefined();
  });

  it("[invited by link] a person whose invitation is not a NONE one finishes it first (sso_invitation_pending)", async () => {
    const email = `link-${randomUUID()}@example.com`;
    await invite(email, "EMAIL_LINK");
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true });
    refused(await ssoSignIn({ start: d.harness }, sub), "sso_invitation_pending");
  });
});

describe.each(testDatabases())("single sign-on's settings ($name)", (database) => {
  let harness: ApiHarness | undefined;
  beforeEach(() => {
    provider.rewriteIdToken = null;
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("OIDC_AUTO_PROVISION=member: an unknown verified email becomes an active account member, signed in", async () => {
    harness = await createHarness(database, {
      config: { publicUrl: PUBLIC_URL, signIn: signInConfig({ autoProvision: "member" }) },
    });
    const email = `new-${randomUUID()}@example.com`;
    const sub = `sub-${randomUUID()}`;
    provider.setAccount(sub, { email, email_verified: true, name: "Nova New" });
    const outcome = await ssoSignIn({ start: harness }, sub);
    expect(outcome.location).toBe("/settings/spaces");
    const me = await meOf(harness, outcome.session ?? "");
    expect(me.user.name).toBe("Nova New");
    expect(me.account_role).toBe("member");
    const [row] = await harness.handle.db.select().from(users).where(eq(users.email, email));
    expect(row).toMatchObject({
      status: "active",
      accountRole: "member",
      oidcSubject: sub,
      passwordHash: null,
    });
    const created = await harness.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "create_user"), eq(auditLog.targetId, row?.id ?? "")));
    expect(created[0]?.details).toMatchObject({ method: "oidc" });
  });

  it("OIDC_ALLOWED_DOMAINS: an email of another domain is refused (sso_domain_not_allowed), one of the list signs in", async () => {
    harness = await createHarness(database, {
      config: {
        publicUrl: PUBLIC_URL,
        signIn: signInConfig({ autoProvision: "member", allowedDomains: ["example.com"] }),
      },
    });
    const outside = `sub-${randomUUID()}`;
    provider.setAccount(outside, { email: `eve-${randomUUID()}@elsewhere.io`, email_verified: true });
    const out = await ssoSignIn({ start: harness }, outside);
    expect(out.location).toBe("/login?error=sso_domain_not_allowed");
    expect(out.session).toBeUndefined();
    const inside = `sub-${randomUUID()}`;
    provider.setAccount(inside, { email: `ida-${randomUUID()}@example.com`, email_verified: true });
    expect((await ssoSignIn({ start: harness }, inside)).session).toMatch(/^kds_/);
  });

  it("PASSWORD_SIGN_IN=off: Max's right password is refused (403), Ada's (an account admin) opens a session; a wrong one is the same 401 for both", async () => {
    harness = await createHarness(database, {
      config: { publicUrl: PUBLIC_URL, signIn: signInConfig({}, false) },
    });
    const h = harness;
    const attempt = (email: string, password = DEMO_PASSWORD) =>
      h.request("POST", "/v2/sessions", { body: { email, password } });
    const max = await attempt(DEMO_USERS.member.email);
    expect(max.status).toBe(403);
    expect(((await max.json()) as { detail: string }).detail).toBe(
      "Password sign-in is off: sign in with single sign-on.",
    );
    expect((await attempt(DEMO_USERS.admin.email)).status).toBe(201);
    expect((await attempt(DEMO_USERS.member.email, "wrong password")).status).toBe(401);
    expect((await attempt(DEMO_USERS.admin.email, "wrong password")).status).toBe(401);
    // The sign-in page learns it from the API.
    const options = await h.request("GET", "/v2/sessions/options");
    expect(await options.json()).toEqual({
      password_sign_in: false,
      sso: { name: "Test SSO", start_path: "/auth/oidc/start" },
    });
  });

  it("PASSWORD_SIGN_IN=off: Forgot password mails account admins only (Ada gets her link, Max nothing, the same 202 for both)", async () => {
    const smtp = await startSmtp();
    try {
      harness = await createHarness(database, {
        config: { publicUrl: PUBLIC_URL, smtpUrl: smtp.url, signIn: signInConfig({}, false) },
      });
      for (const email of [DEMO_USERS.member.email, DEMO_USERS.admin.email]) {
        const res = await harness.request("POST", "/v2/password-resets", { body: { email } });
        expect(res.status).toBe(202);
      }
      await harness.app.passwordResetsSettled();
      await vi.waitFor(() =>
        expect(smtp.inbox.some((m) => m.to.includes(DEMO_USERS.admin.email))).toBe(true),
      );
      expect(smtp.inbox.filter((m) => m.to.includes(DEMO_USERS.member.email))).toHaveLength(0);
      const rows = await harness.handle.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, "request_password_reset"));
      expect(rows.map((r) => r.details)).toContainEqual(
        expect.objectContaining({ link_issued: false, not_sent: "password_sign_in_off" }),
      );
    } finally {
      await smtp.close();
    }
  });

  it("without OIDC_ISSUER: no button to offer, and /auth/oidc/start is not there", async () => {
    harness = await createHarness(database, { config: { publicUrl: PUBLIC_URL } });
    const options = await harness.request("GET", "/v2/sessions/options");
    expect(await options.json()).toEqual({ password_sign_in: true, sso: null });
    expect((await harness.request("GET", "/auth/oidc/start")).status).toBe(404);
  });

  it("a provider that cannot be reached: the start goes back to /login?error=sso_unreachable", async () => {
    harness = await createHarness(database, {
      config: { publicUrl: PUBLIC_URL, signIn: signInConfig({ issuer: new URL("http://127.0.0.1:9/") }) },
    });
    const res = await harness.request("GET", "/auth/oidc/start");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?error=sso_unreachable");
  });
});

/** A second keys API over the same database and configuration: another instance. */
async function createHarnessOn(d: Demo): Promise<ApiHarness> {
  const { createApi } = await import("../api/app");
  const app = createApi({
    db: d.harness.handle.db,
    clock: d.harness.clock,
    config: { failedAuthPerMinute: 0, publicUrl: PUBLIC_URL, signIn: signInConfig() },
    usageFlushMs: 0,
  });
  return {
    ...d.harness,
    app,
    request: (method, path, opts = {}) =>
      Promise.resolve(app.request(path, { method, headers: { ...opts.headers } })),
  };
}
