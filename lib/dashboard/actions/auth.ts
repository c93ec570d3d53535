"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionRefusal, defineAction, fromApi } from "../define-action";
import { SignInSchema } from "../../schemas/sessions";
import { clearSessionCookie, setSessionCookie } from "../session";

/** Where to go after sign-in: only paths on this site. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) && !next.startsWith("/login")
    ? next
    : "/settings/api-keys";
}

export const signInAction = defineAction(
  { input: SignInSchema.extend({ next: z.string().max(2048).optional() }), session: "optional" },
  async ({ next, ...credentials }, { api }) => {
    const answer = await api.POST("/v2/sessions", { body: credentials });
    // One message for a wrong email or password, whatever the API's wording.
    if (answer.error?.code === "authentication_required")
      throw new ActionRefusal({ code: "authentication_required", message: "Invalid email or password" });
    const session = fromApi(answer);
    await setSessionCookie(session.token, new Date(session.expires_at));
    return { redirectTo: safeNext(next) };
  },
);

const signOut = defineAction({ input: z.unknown(), session: "optional" }, async (_input, { api, token }) => {
  // Best effort: the cookie goes either way, and an unreachable API must not trap anyone signed in.
  if (token) await api.DELETE("/v2/sessions/current").catch(() => undefined);
  await clearSessionCookie();
  redirect("/login");
});

/** The sign-out form's action: ends the session at the API (best effort), drops the cookie, redirects. */
export async function signOutAction(): Promise<void> {
  // It cannot fail: its only call is best effort, and redirect() leaves through defineAction.
  await signOut(undefined);
}
