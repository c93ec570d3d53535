import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { OidcProviderUnreachable, OidcRelyingParty } from "../../auth/oidc-client";
import { signInWithOidc } from "../../auth/oidc";
import { safeNextPath, SignInOptionsSchema, type SsoError } from "../../schemas/sign-in-options";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { FlowSeal } from "../oidc-flow-seal";
import { json } from "./common";

const OIDC_START_PATH = "/auth/oidc/start";
const OIDC_CALLBACK_PATH = "/auth/oidc/callback";
/** The dashboard's session cookie (lib/dashboard/session.ts): the same name and attributes. */
const SESSION_COOKIE = "keydesk_session";
const FLOW_COOKIE = "keydesk_oidc_flow";
/** The email of a "No Keydesk account for <email>" refusal, for the sign-in page only, briefly. */
const OIDC_REFUSED_EMAIL_COOKIE = "keydesk_oidc_email";
const FLOW_TTL_MS = 10 * 60 * 1000;

/**
 * One line for the operator when a sign-in fails on the protocol's side (a wrong issuer, a refused
 * code, a token that failed a check): the library's message and code only, never a token or a value
 * of the flow (those sit in the error's own fields, which are not logged).
 */
function logFailure(step: "start" | "callback", err: unknown): void {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const field = (o: unknown, key: string): string | undefined => {
    const value = typeof o === "object" && o !== null ? (o as Record<string, unknown>)[key] : undefined;
    return typeof value === "string" ? value : undefined;
  };
  // openid-client wraps oauth4webapi's error, whose message and cause name the check that failed
  // (`aud`, `nonce`, `exp`, …); the cause's expected value (the nonce) and the claims are left out.
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : undefined;
  const claim = field(inner?.cause, "claim");
  const code = field(cause, "code");
  console.warn(
    JSON.stringify({
      level: "warn",
      msg: `single sign-on ${step} failed`,
      reason: cause instanceof Error ? cause.message : "unknown",
      ...(inner && inner.message !== (cause instanceof Error ? cause.message : "")
        ? { detail: inner.message }
        : {}),
      ...(code ? { code } : {}),
      ...(claim ? { claim } : {}),
    }),
  );
}

/** Secure cookies in production, unless KEYDESK_INSECURE_COOKIES=1 (plain-HTTP trials): as the dashboard sets them. */
function secureCookies(): boolean {
  return process.env.NODE_ENV === "production" && process.env.KEYDESK_INSECURE_COOKIES !== "1";
}

/**
 * Single sign-on with OpenID Connect (docs/single-sign-on.md): `GET /auth/oidc/start` sends the browser
 * to the provider, `GET /auth/oidc/callback` brings it back signed in, with the dashboard's session
 * cookie, or to `/login?error=…`. Served outside /v2 (server.ts routes /auth/oidc/ here). And
 * `GET /v2/sessions/options` [ext] tells the sign-in page what to offer.
 */
export function registerOidcRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps) {
  const signIn = deps.config.signIn;
  const oidc = signIn?.oidc ?? null;

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/sessions/options",
      tags: ["Sessions"],
      summary: "[ext] How people sign in here",
      description:
        "For the sign-in page: the single sign-on button's provider (`OIDC_NAME`) when `OIDC_ISSUER` is set, and " +
        "whether password sign-in is open to everyone (`PASSWORD_SIGN_IN`).",
      responses: { 200: { description: "The sign-in options", content: json(SignInOptionsSchema) } },
    }),
    (c) =>
      c.json(
        {
          password_sign_in: signIn?.passwordSignIn ?? true,
          sso: oidc ? { name: oidc.name, start_path: OIDC_START_PATH } : null,
        },
        200,
      ),
  );

  if (!oidc) return;
  const party = new OidcRelyingParty(oidc, deps.clock);
  const seal = new FlowSeal(oidc.clientSecret);
  const secure = secureCookies();

  const toLogin = (c: Context<ApiEnv>, error: SsoError) => {
    c.header("cache-control", "no-store");
    return c.redirect(`/login?error=${error}`, 302);
  };

  /** Where the provider sends the browser back: on PUBLIC_URL, else on the origin this request came to. */
  const redirectUri = (c: Context<ApiEnv>) => {
    if (deps.config.publicUrl) return `${deps.config.publicUrl.replace(/\/+$/, "")}${OIDC_CALLBACK_PATH}`;
    const url = new URL(c.req.url);
    const proto =
      deps.config.trustedProxyHops > 0 && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https"
        ? "https:"
        : url.protocol;
    return `${proto}//${url.host}${OIDC_CALLBACK_PATH}`;
  };

  app.get(OIDC_START_PATH, async (c) => {
    let begun: Awaited<ReturnType<OidcRelyingParty["begin"]>>;
    try {
      begun = await party.begin({ redirectUri: redirectUri(c), next: safeNextPath(c.req.query("next")) });
    } catch (err) {
      if (err instanceof OidcProviderUnreachable) {
        logFailure("start", err);
        return toLogin(c, "sso_unreachable");
      }
      throw err;
    }
    const expiresAt = new Date(deps.clock.now().getTime() + FLOW_TTL_MS);
    setCookie(c, FLOW_COOKIE, seal.seal(begun.flow, expiresAt), {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET, which carries it.
      sameSite: "Lax",
      path: "/auth/oidc",
      secure,
      maxAge: FLOW_TTL_MS / 1000,
    });
    c.header("cache-control", "no-store");
    return c.redirect(begun.url.href, 302);
  });

  app.get(OIDC_CALLBACK_PATH, async (c) => {
    const flow = seal.open(getCookie(c, FLOW_COOKIE), deps.clock.now());
    // One use: the flow's values go whatever the outcome.
    deleteCookie(c, FLOW_COOKIE, { path: "/auth/oidc", secure });
    if (!flow) return toLogin(c, "sso_failed");
    let identity: Awaited<ReturnType<OidcRelyingParty["finish"]>>;
    try {
      identity = await party.finish({ callbackUrl: new URL(c.req.url), flow });
    } catch (err) {
      logFailure("callback", err);
      return toLogin(c, err instanceof OidcProviderUnreachable ? "sso_unreachable" : "sso_failed");
    }
    const result = await signInWithOidc(
      { db: deps.db, clock: deps.clock, policy: deps.config.sessions, config: oidc },
      { identity, clientAddress: clientAddress(c, deps.config) },
    );
    if (!result.ok) {
      if (result.refusal === "no_account" && result.email)
        setCookie(c, OIDC_REFUSED_EMAIL_COOKIE, result.email, {
          httpOnly: true,
          sameSite: "Lax",
          path: "/login",
          secure,
          maxAge: 300,
        });
      return toLogin(c, `sso_${result.refusal}`);
    }
    setCookie(c, SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      secure,
      expires: result.expiresAt,
    });
    c.header("cache-control", "no-store");
    return c.redirect(flow.next, 302);
  });
}
