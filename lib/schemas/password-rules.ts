/**
 * The password lengths and the reset answer's wording, apart from the zod schemas that use them: the
 * sign-in pages show them without loading zod (their validation loads on first input,
 * components/ui/lazy-resolver.ts).
 */

/** The password lengths, for the forms and for the server's own check (lib/auth/passwords). */
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 1024;

/** What Forgot password answers, whether or not the email has an account. */
export const PASSWORD_RESET_SENT = "If an account exists for that email, we sent a link.";
