import type { Context, MiddlewareHandler } from "hono";
import { DomainError, rateLimited, unauthenticated } from "../domain/errors";
import { loadAccess } from "../auth/access";
import type { Principal } from "../auth/principal";
import { resolveSession } from "../auth/sessions";
import { clientAddress } from "./client-address";
import type { ApiConfig, ApiDeps, ApiEnv } from "./context";
import type { FailureThrottle } from "./failure-throttle";

/**
 * `Authorization: Bearer <credential>`, the scheme word in any case, or a bare credential (old Go
 * clients). Returns null when there is nothing usable.
 */
function readCredential(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim();
  const match = /^bearer\s+(\S+)$/i.exec(value);
  const credential = match ? match[1] : /^\S+$/.test(value) ? value : null;
  if (!credential || credential.length > 512) return null;
  return credential;
}

/** The one call a temporary-password session may make to go on… */
export const CHANGE_PASSWORD_PATH = "/v2/me/password";
/** …and the call that ends a session, which every session may make. */
export const SIGN_OUT_PATH = "/v2/sessions/current";

/** A session with a temporary password may only change it, or sign out. */
function allowedBeforePasswordChange(method: string, path: string): boolean {
  return (
    (method === "POST" && path === CHANGE_PASSWORD_PATH) || (method === "DELETE" && path === SIGN_OUT_PATH)
  );
}

/**
 * Resolves a credential to a principal, or null. API keys plug in here (see lib/keys/verify); the
 * request is there for what a resolver records about its caller (address, user agent).
 */
export type CredentialResolver = (credential: string, c: Context<ApiEnv>) => Promise<Principal | null>;

export function sessionResolver(deps: ApiDeps): CredentialResolver {
  return async (credential) => {
    if (!credential.startsWith("kds_")) return null;
    const session = await resolveSession(deps.db, deps.clock, credential);
    if (!session) return null;
    const access = await loadAccess(deps.db, session.userId);
    if (!access || access.user.kind !== "human") return null;
    return {
      ...access,
      credential: { type: "session", sessionId: session.sessionId },
      ...(session.passwordChangeRequired ? { passwordChangeRequired: true } : {}),
    };
  };
}

/**
 * Every /v2 route except sign-in and the OpenAPI document goes through this. The failure throttle
 * counts and refuses failures only: a working credential is always served, whatever else its address
 * sends (one misconfigured client behind a NAT must not lock out every service behind it). An address
 * over its limit gets 429 instead of 401 for its next failures.
 */
export function requireAuth(
  resolvers: CredentialResolver[],
  throttle?: { failures: FailureThrottle; config: ApiConfig },
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const credential = readCredential(c.req.header("authorization"));
    let principal: Principal | null = null;
    if (credential) {
      for (const resolve of resolvers) {
        principal = await resolve(credential, c);
        if (principal) break;
      }
    }
    if (!principal) {
      if (throttle) {
        const address = clientAddress(c, throttle.config) ?? "unknown";
        const wait = throttle.failures.fail(address);
        if (wait !== null) throw rateLimited(wait);
      }
      throw unauthenticated();
    }
    if (principal.passwordChangeRequired && !allowedBeforePasswordChange(c.req.method, c.req.path))
      throw new DomainError("forbidden", "Choose a new password first (POST /v2/me/password).", {
        code: "password_change_required",
      });
    c.set("principal", principal);
    await next();
  };
}
