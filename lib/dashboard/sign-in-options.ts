import "server-only";
import { cookies } from "next/headers";
import { z } from "zod";
import { keysClient } from "../keys-client";

export interface SignInOptions {
  passwordSignIn: boolean;
  sso: { name: string; startPath: string } | null;
}

/**
 * What the sign-in page offers, from the keys API (`GET /v2/sessions/options`): single sign-on's
 * button, and whether the password form is for everyone. Unreachable: the password form alone, as
 * before single sign-on (the API refuses what it must either way).
 */
export async function signInOptions(): Promise<SignInOptions> {
  try {
    const { data } = await keysClient().GET("/v2/sessions/options");
    if (!data) return { passwordSignIn: true, sso: null };
    return {
      passwordSignIn: data.password_sign_in,
      sso: data.sso ? { name: data.sso.name, startPath: data.sso.start_path } : null,
    };
  } catch {
    return { passwordSignIn: true, sso: null };
  }
}

/** The cookie the single sign-on callback sets for "No Keydesk account for <email>" (lib/api/routes/oidc.ts). */
const REFUSED_EMAIL_COOKIE = "keydesk_oidc_email";

/** That email, when the cookie holds one: shown as text, so anything but a plain address is dropped. */
export async function refusedSsoEmail(): Promise<string | null> {
  const value = (await cookies()).get(REFUSED_EMAIL_COOKIE)?.value;
  const parsed = z.email().max(320).safeParse(value);
  return parsed.success ? parsed.data : null;
}
