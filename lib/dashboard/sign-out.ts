import "server-only";
import { keysClient } from "../keys-client";
import { isSameOriginRequest } from "./same-origin";
import { clearSessionCookie, getSessionToken } from "./session";

/** Ends the viewer's session and sends them to sign-in; cross-site requests are refused (403). */
export async function signOut(headers: Headers): Promise<Response> {
  if (!isSameOriginRequest(headers)) {
    return new Response(
      JSON.stringify({
        title: "Access forbidden",
        status: 403,
        detail: "Sign out from Keydesk's own pages.",
      }),
      { status: 403, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
    );
  }
  const token = await getSessionToken();
  if (token) {
    // Best effort: the cookie goes either way, and an unreachable API must not trap anyone signed in.
    await keysClient({ token })
      .DELETE("/v2/sessions/current")
      .catch(() => undefined);
  }
  await clearSessionCookie();
  // A relative Location: never built from the request's Host.
  return new Response(null, { status: 303, headers: { location: "/login", "cache-control": "no-store" } });
}
