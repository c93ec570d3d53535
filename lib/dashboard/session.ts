import "server-only";
import { cookies, headers } from "next/headers";

export const SESSION_COOKIE = "keydesk_session";

/** The session token from the HttpOnly cookie; it never reaches client code. */
export async function getSessionToken(): Promise<string | null> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return value && /^kds_[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: process.env.NODE_ENV === "production" && process.env.KEYDESK_INSECURE_COOKIES !== "1",
    expires: expiresAt,
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

/** The browser's address as server.ts saw it (it overwrites any client-sent value). */
export async function requestClientAddress(): Promise<string | null> {
  return (await headers()).get("x-keydesk-peer");
}

/**
 * The origin the browser used (Host, and the scheme a proxy reports), for links a person will open.
 * Actions pass it to the keys API (which builds and emails invitation and reset links): without it,
 * the API would see only the internal address the actions reach it at (KEYS_API_URL). The Host of an
 * action's request is the one its session cookie was sent to (Next.js also checks Origin against it).
 */
export async function browserOrigin(): Promise<string | null> {
  const h = await headers();
  const host = h.get("host");
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return null;
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${proto}://${host}`;
}
