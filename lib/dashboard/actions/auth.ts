"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "../action-result";
import { invalidInput, problemToError, unreachable } from "../action-support";
import { keysClient } from "../../keys-client";
import { directoryCall } from "../../keys-client/directory";
import { ChoosePasswordFormSchema, JoinFormSchema, SetupFormSchema } from "../../schemas/directory-forms";
import { SignInSchema } from "../../schemas/sessions";
import { parseSession } from "../directory-support";
import { clearSessionCookie, getSessionToken, requestClientAddress, setSessionCookie } from "../session";

/** Where to go after sign-in: only paths on this site. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) && !next.startsWith("/login")
    ? next
    : "/settings/api-keys";
}

export async function signInAction(input: {
  email: string;
  password: string;
  next?: string;
}): Promise<ActionResult<{ redirectTo: string }>> {
  const parsed = SignInSchema.safeParse({ email: input?.email, password: input?.password });
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  let result;
  try {
    result = await keysClient({ clientAddress: await requestClientAddress() }).POST("/v2/sessions", {
      body: parsed.data,
    });
  } catch {
    return { ok: false, error: unreachable };
  }
  if (!result.data) {
    const error = problemToError(result.response.status, result.error);
    // One message for a wrong email or password, whatever the API's wording.
    if (error.code === "unauthenticated") error.message = "Invalid email or password";
    return { ok: false, error };
  }
  await setSessionCookie(result.data.token, new Date(result.data.expires_at));
  // A temporary password: the session may only choose a new one, before anything else.
  const mustChange =
    "password_change_required" in result.data && result.data.password_change_required === true;
  return { ok: true, data: { redirectTo: mustChange ? "/change-password" : safeNext(input?.next) } };
}

export async function signOutAction(): Promise<void> {
  const token = await getSessionToken();
  if (token) {
    // Best effort: the cookie goes either way, and an unreachable API must not trap anyone signed in.
    await keysClient({ token })
      .DELETE("/v2/sessions/current")
      .catch(() => undefined);
  }
  await clearSessionCookie();
  redirect("/login");
}

/** Signs in with the session of a setup or join answer, or with the email and password just chosen. */
async function startSession(body: unknown, email: string, password: string): Promise<boolean> {
  const session = parseSession(body);
  if (session) {
    await setSessionCookie(session.token, new Date(session.expiresAt));
    return true;
  }
  const signedIn = await signInAction({ email, password });
  return signedIn.ok;
}

/** First run: the account and its first admin, with the one-time token from the server log. */
export async function setupAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const parsed = SetupFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const form = parsed.data;
  try {
    const { status, body } = await directoryCall(
      { clientAddress: await requestClientAddress() },
      "POST",
      "/v2/setup",
      {
        body: {
          token: form.token,
          account_name: form.accountName,
          name: form.name,
          email: form.email,
          password: form.password,
        },
      },
    );
    if (status !== 201 && status !== 200) return { ok: false, error: problemToError(status, body) };
    if (!(await startSession(body, form.email, form.password)))
      return { ok: true, data: { redirectTo: "/login?next=/settings/spaces" } };
    return { ok: true, data: { redirectTo: "/settings/spaces" } };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/**
 * Choose a new password: the one call a temporary-password session may make. The API asks for the
 * current (temporary) password too; the page passes on the one typed at sign-in, or asks for it.
 */
export async function choosePasswordAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const token = await getSessionToken();
  if (!token)
    return {
      ok: false,
      error: { code: "unauthenticated", message: "Your session has ended. Sign in again." },
    };
  const parsed = ChoosePasswordFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { status, body } = await directoryCall(
      { token, clientAddress: await requestClientAddress() },
      "POST",
      "/v2/me/password",
      { body: { current_password: parsed.data.currentPassword, new_password: parsed.data.newPassword } },
    );
    if (status !== 204 && status !== 200) {
      const error = problemToError(status, body);
      const fields = error.fieldErrors ?? {};
      const mapped: Record<string, string> = {};
      if (fields.new_password) mapped.newPassword = fields.new_password;
      if (fields.current_password) mapped.currentPassword = fields.current_password;
      return { ok: false, error: { ...error, fieldErrors: mapped } };
    }
    return { ok: true, data: { redirectTo: "/settings/api-keys" } };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/** Accepts an invitation link: the person's name and password, then signed in. */
export async function joinAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const parsed = JoinFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const form = parsed.data;
  try {
    const { status, body } = await directoryCall(
      { clientAddress: await requestClientAddress() },
      "POST",
      `/v2/invitations/${encodeURIComponent(form.token)}`,
      { body: { ...(form.name ? { name: form.name } : {}), password: form.password } },
    );
    if (status !== 201 && status !== 200) return { ok: false, error: problemToError(status, body) };
    const session = parseSession(body);
    if (!session) return { ok: true, data: { redirectTo: "/login" } };
    await setSessionCookie(session.token, new Date(session.expiresAt));
    return { ok: true, data: { redirectTo: "/settings/api-keys" } };
  } catch {
    return { ok: false, error: unreachable };
  }
}
