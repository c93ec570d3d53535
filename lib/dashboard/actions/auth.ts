"use server";

import type { ActionResult } from "../action-result";
import { invalidInput, problemToError, unreachable } from "../action-support";
import { keysClient } from "../../keys-client";
import { SignInSchema } from "../../schemas/sessions";
import { requestClientAddress, setSessionCookie } from "../session";

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
  return { ok: true, data: { redirectTo: safeNext(input?.next) } };
}
