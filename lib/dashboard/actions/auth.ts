"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionRefusal, defineAction, expectOk, fromApi } from "../define-action";
import { ChoosePasswordFormSchema, JoinFormSchema, SetupFormSchema } from "../../schemas/directory-forms";
import { SignInSchema } from "../../schemas/sessions";
import { safeNextPath } from "../../schemas/sign-in-options";
import { clearSessionCookie, setSessionCookie } from "../session";

export const signInAction = defineAction(
  { input: SignInSchema.extend({ next: z.string().max(2048).optional() }), session: "optional" },
  async ({ next, ...credentials }, { api }) => {
    const answer = await api.POST("/v2/sessions", { body: credentials });
    // One message for a wrong email or password, whatever the API's wording.
    if (answer.error?.code === "authentication_required")
      throw new ActionRefusal({ code: "authentication_required", message: "Invalid email or password" });
    const session = fromApi(answer);
    await setSessionCookie(session.token, new Date(session.expires_at));
    // A temporary password: the session may only choose a new one, before anything else.
    return { redirectTo: session.password_change_required ? "/change-password" : safeNextPath(next) };
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

/** First run: the account and its first admin, with the one-time token from the server log; signed in. */
export const setupAction = defineAction(
  { input: SetupFormSchema, session: "optional" },
  async (form, { api }) => {
    const session = fromApi(
      await api.POST("/v2/setup", {
        body: {
          token: form.token,
          account_name: form.accountName,
          name: form.name,
          email: form.email,
          password: form.password,
        },
      }),
    );
    await setSessionCookie(session.token, new Date(session.expires_at));
    return { redirectTo: "/settings/spaces" };
  },
);

/**
 * Choose a new password: the one call a temporary-password session may make. The API asks for the
 * current (temporary) password too; the page passes on the one typed at sign-in, or asks for it.
 */
export const choosePasswordAction = defineAction(
  { input: ChoosePasswordFormSchema },
  async ({ currentPassword, newPassword }, { api }) => {
    const answer = await api.POST("/v2/me/password", {
      body: { current_password: currentPassword, new_password: newPassword },
    });
    try {
      expectOk(answer);
    } catch (err) {
      if (!(err instanceof ActionRefusal)) throw err;
      // The API names its fields; the form's are camelCase.
      const fields = err.error.fieldErrors ?? {};
      throw new ActionRefusal({
        ...err.error,
        fieldErrors: {
          ...(fields.new_password ? { newPassword: fields.new_password } : {}),
          ...(fields.current_password ? { currentPassword: fields.current_password } : {}),
        },
      });
    }
    return { redirectTo: "/settings/api-keys" };
  },
);

/** Accepts an invitation (name and password) or a reset link (password): then signed in. */
export const joinAction = defineAction(
  { input: JoinFormSchema, session: "optional" },
  async (form, { api }) => {
    const session = fromApi(
      await api.POST("/v2/invitations/{token}", {
        params: { path: { token: form.token } },
        body: { ...(form.name ? { name: form.name } : {}), password: form.password },
      }),
    );
    await setSessionCookie(session.token, new Date(session.expires_at));
    return { redirectTo: "/settings/api-keys" };
  },
);
