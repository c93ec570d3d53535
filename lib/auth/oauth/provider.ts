/**
 * The OAuth 2.0 authorization server Arize's `ax` CLI signs in with (`ax auth login`): oidc-provider,
 * configured rather than written by hand, at `/oauth2/*` (lib/server/http-server.ts routes it there).
 * One static client, `arize-cli`: public, PKCE S256, authorization code and refresh token, loopback
 * redirects only (any port, RFC 8252 §7.3). Its records live in the database (adapter.ts), its keys
 * too (server-keys.ts), so any instance can answer any step.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { eq } from "drizzle-orm";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { decodeId } from "../../domain/ids";
import { DrizzleAdapter } from "./adapter";
import { auditOAuth, CLI_CLIENT_ID } from "./audit";
import { INTERACTION_PATH } from "./interactions";
import { serverKeys } from "./server-keys";

const HOUR = 60 * 60;
const DAY = 24 * HOUR;

export interface OAuthPolicy {
  /** Seconds an access token lives (`KEYDESK_OAUTH_ACCESS_TOKEN_TTL`, default 3600). */
  accessTokenTtl: number;
  /** Seconds a sign-in lasts at most, refreshes included (`KEYDESK_OAUTH_SIGN_IN_TTL`, default 30 days). */
  signInTtl: number;
}

const defaultOAuthPolicy: OAuthPolicy = { accessTokenTtl: HOUR, signInTtl: 30 * DAY };

export function oauthPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): OAuthPolicy {
  const seconds = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    accessTokenTtl: seconds(env.KEYDESK_OAUTH_ACCESS_TOKEN_TTL, defaultOAuthPolicy.accessTokenTtl),
    signInTtl: seconds(env.KEYDESK_OAUTH_SIGN_IN_TTL, defaultOAuthPolicy.signInTtl),
  };
}

/** The person behind an OAuth subject (an encoded user id), if they may still sign in. */
async function personOf(db: Db, sub: string) {
  const userId = decodeId("User", sub);
  if (!userId) return null;
  const [user] = await db
    .select({
      id: users.id,
      accountId: users.accountId,
      name: users.name,
      email: users.email,
      kind: users.kind,
      status: users.status,
    })
    .from(users)
    .where(eq(users.id, userId));
  return user && user.kind === "human" && user.status === "active" ? user : null;
}

export interface OAuthServer {
  provider: Provider;
  /** Node's request listener for `/oauth2/*` and the discovery documents. */
  callback: (req: IncomingMessage, res: ServerResponse) => void;
}

export async function createOAuthServer(options: {
  db: Db;
  /** The server's public origin (`PUBLIC_URL`, else its own address). */
  issuer: string;
  policy?: OAuthPolicy;
  /** Trust X-Forwarded-* from a proxy in front (TRUST_PROXY_HOPS > 0). */
  proxy?: boolean;
}): Promise<OAuthServer> {
  const { db } = options;
  const policy = options.policy ?? defaultOAuthPolicy;
  const keys = await serverKeys(db);
  const signInLeft = (iiat: number | undefined) =>
    Math.max(1, (iiat ?? Math.floor(Date.now() / 1000)) + policy.signInTtl - Math.floor(Date.now() / 1000));

  const configuration: Configuration = {
    adapter: (name: string) => new DrizzleAdapter(db, name),
    clients: [
      {
        client_id: CLI_CLIENT_ID,
        client_name: "ax CLI",
        application_type: "native",
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        // Loopback only; native clients may use any port on these (RFC 8252 §7.3).
        redirect_uris: ["http://127.0.0.1/callback", "http://localhost/callback"],
      },
    ],
    async findAccount(_ctx, sub) {
      const person = await personOf(db, sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: person.name,
          ...(person.email ? { email: person.email, email_verified: true } : {}),
        }),
      };
    },
    // The CLI asks for `openid email`; its id_token carries the person's name and email for display.
    claims: { openid: ["sub", "name"], email: ["email", "email_verified"] },
    conformIdTokenClaims: false,
    scopes: ["openid", "email"],
    pkce: { required: () => true },
    routes: {
      authorization: "/oauth2/authorize",
      token: "/oauth2/token",
      revocation: "/oauth2/revoke",
      jwks: "/oauth2/jwks",
      userinfo: "/oauth2/userinfo",
      end_session: "/oauth2/logout",
      introspection: "/oauth2/introspect",
      registration: "/oauth2/register",
      pushed_authorization_request: "/oauth2/par",
      device_authorization: "/oauth2/device/auth",
      code_verification: "/oauth2/device",
      backchannel_authentication: "/oauth2/backchannel",
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      introspection: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    cookies: { keys: keys.cookieKeys },
    jwks: { keys: [keys.signingKey] },
    ttl: {
      AccessToken: policy.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: policy.accessTokenTtl,
      Interaction: 10 * 60,
      Session: HOUR,
      Grant: (_ctx, grant) => signInLeft(grant.iat),
      RefreshToken: (_ctx, token) => signInLeft(token.iiat ?? token.iat),
    },
    // Every sign-in asks the person again: no grant is reused from an earlier one in this browser.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // The CLI asks for `openid email` only, yet needs a refresh token (its profile refreshes itself).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // Each refresh token is used once; using an old one again revokes the whole grant (oidc-provider
    // does that itself, RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    // Tokens outlive the provider's short browser session (they end with the grant).
    expiresWithSession: async () => false,
    renderError: async (ctx, out) => {
      ctx.type = "text/plain; charset=utf-8";
      ctx.body = `Keydesk could not start this sign-in: ${String(out.error)}${
        out.error_description ? ` (${String(out.error_description)})` : ""
      }. Run \`ax auth login\` again.\n`;
    },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.proxy ?? false;
  provider.use(auditMiddleware(db));
  return { provider, callback: provider.callback() };
}

/** Audit rows for refreshes, revocations and a reused refresh token (which kills its grant). */
function auditMiddleware(db: Db) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const route = ctx.oidc?.route;
    if (route !== "token" && route !== "revocation") return;
    const entities = ctx.oidc.entities;
    const clientAddress = ctx.ip || null;
    if (route === "token" && ctx.oidc.params?.grant_type === "refresh_token") {
      const token = entities.RefreshToken;
      const userId = token?.accountId ? decodeId("User", token.accountId) : null;
      if (!token?.grantId || !userId) return;
      if (ctx.status === 200) {
        await auditOAuth(db, {
          userId,
          action: "oauth.token_refresh",
          grantId: token.grantId,
          clientAddress,
        });
      } else if (token.consumed) {
        await auditOAuth(db, {
          userId,
          action: "oauth.revoke",
          grantId: token.grantId,
          clientAddress,
          actor: "anonymous",
          reason: "refresh_token_reused",
        });
      }
    }
    if (route === "revocation" && ctx.status === 200) {
      const token = entities.AccessToken ?? entities.RefreshToken;
      const userId = token?.accountId ? decodeId("User", token.accountId) : null;
      if (!token?.grantId || !userId) return;
      await auditOAuth(db, { userId, action: "oauth.revoke", grantId: token.grantId, clientAddress });
    }
  };
}
