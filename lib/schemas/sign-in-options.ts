import { z } from "zod";

/** [ext] What the sign-in page offers: single sign-on's button, and whether the password form is for everyone. */
export const SignInOptionsSchema = z
  .object({
    password_sign_in: z.boolean().meta({
      description:
        "false when `PASSWORD_SIGN_IN=off`: passwords sign in account admins only (break glass, `/login?password=1`).",
    }),
    sso: z
      .object({
        name: z.string().meta({ description: "The provider's name on the button (`OIDC_NAME`)." }),
        start_path: z.string().meta({ description: "Where the button goes: `/auth/oidc/start`." }),
      })
      .nullable()
      .meta({ description: "Single sign-on with OpenID Connect; null when `OIDC_ISSUER` is unset." }),
  })
  .meta({ id: "SignInOptions" });

/**
 * Why a single sign-on came back to the sign-in page: the `error` the callback puts in `/login`'s
 * query. The page shows its own sentence for each; nothing of the query is ever shown as text.
 */
const SSO_ERRORS = [
  "sso_unreachable",
  "sso_failed",
  "sso_email_unverified",
  "sso_domain_not_allowed",
  "sso_no_account",
  "sso_blocked",
  "sso_invitation_pending",
  "sso_subject_mismatch",
] as const;
export type SsoError = (typeof SSO_ERRORS)[number];

export function isSsoError(value: unknown): value is SsoError {
  return typeof value === "string" && (SSO_ERRORS as readonly string[]).includes(value);
}

/** The sign-in page's sentence for each error; `email` only for `sso_no_account` (from a short-lived cookie). */
export function ssoErrorMessage(error: SsoError, provider: string, email: string | null): string {
  switch (error) {
    case "sso_unreachable":
      return `${provider} cannot be reached right now. Try again in a moment.`;
    case "sso_failed":
      return `Signing in with ${provider} did not complete. Try again.`;
    case "sso_email_unverified":
      return `${provider} did not confirm your email address is verified, so Keydesk cannot match it to an account.`;
    case "sso_domain_not_allowed":
      return "Your email's domain may not sign in to this Keydesk.";
    case "sso_no_account":
      return email
        ? `No Keydesk account for ${email}. Ask an admin to invite you.`
        : "No Keydesk account for your email. Ask an admin to invite you.";
    case "sso_blocked":
      return "Your Keydesk account is blocked. Ask an admin.";
    case "sso_invitation_pending":
      return "Your invitation is waiting: join with the link or temporary password it gave you first.";
    case "sso_subject_mismatch":
      return `This Keydesk account is linked to another ${provider} identity. Ask an admin.`;
  }
}

/**
 * Where to go after signing in, by password or single sign-on: only a path on this site (never
 * `//host`, never back to /login); anything else is the API keys page.
 */
export function safeNextPath(next: unknown): string {
  return typeof next === "string" && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) && !next.startsWith("/login")
    ? next
    : "/settings/api-keys";
}
