import "server-only";
import { cookies } from "next/headers";

/** oidc-provider's cookies that tie a sign-in to the browser that started it (set on this page's path). */
const INTERACTION_COOKIES = ["_interaction", "_interaction.sig"] as const;

/**
 * The browser's interaction cookies as a Cookie header, for the keys API to check that this browser
 * started the sign-in it approves (lib/auth/oauth/provider.ts). Only those two cookies, never the session.
 */
export async function interactionCookieHeader(): Promise<string> {
  const jar = await cookies();
  return INTERACTION_COOKIES.flatMap((name) => {
    const value = jar.get(name)?.value;
    return value && /^[A-Za-z0-9_-]{1,200}$/.test(value) ? [`${name}=${value}`] : [];
  }).join("; ");
}
