import "server-only";
import { browserOrigin } from "./session";

/**
 * The sign-in page as people reach it, for the Share the invitation dialog: on PUBLIC_URL when set,
 * else on the origin in the admin's browser (as invitation links are).
 */
export async function signInUrl(): Promise<string | undefined> {
  const base = process.env.PUBLIC_URL || (await browserOrigin());
  return base ? `${base.replace(/\/+$/, "")}/login` : undefined;
}
