import { z } from "zod";

/**
 * An enum input matched case-insensitively, with aliases (`read_only` → `read-only`), as the
 * contract asks. Output is always the canonical value.
 */
export function enumInput<const T extends readonly [string, ...string[]]>(
  values: T,
  aliases: Record<string, T[number]> = {},
) {
  return z.preprocess(
    (value) => {
      if (typeof value !== "string") return value;
      const lower = value.trim().toLowerCase();
      // Own entries only: `constructor` is not an alias of anything.
      return Object.hasOwn(aliases, lower) ? aliases[lower] : lower;
    },
    z.enum(values, { error: () => `Expected one of: ${values.join(", ")}.` }),
  );
}

/**
 * Whether text can be stored and searched: PostgreSQL's text and jsonb refuse NUL (U+0000), and a
 * lone surrogate has no UTF-8 form (a driver turns it into U+FFFD, jsonb refuses its escape).
 */
const isStorableText = (value: string) => !value.includes("\u0000") && !/\p{Cs}/u.test(value);
const STORABLE_TEXT_MESSAGE = "Use plain text: no NUL characters or broken Unicode (lone surrogates).";

/**
 * A text input: every string a request gives that reaches the database (names, emails,
 * descriptions, searches, tokens) is one, so hostile text is a 400 on its field, never a 500.
 */
export const textInput = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine(isStorableText, STORABLE_TEXT_MESSAGE);

const LIMIT_MESSAGE = "`limit` must be a whole number from 1 to 100.";
export const limitQuery = z
  // Plain digits only: `1e1` or `0x10` are not page sizes a person meant.
  .preprocess(
    (value) => (typeof value === "string" && /^\d{1,4}$/.test(value) ? Number(value) : value),
    z.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE),
  )
  .default(50)
  .meta({ description: "Page size, 1–100 (default 50)." });

export const cursorQuery = textInput()
  .max(200, "`cursor` is not a valid pagination cursor.")
  .optional()
  .meta({ description: "`next_cursor` from the previous page." });

export const PaginationSchema = z
  .object({
    has_more: z.boolean(),
    next_cursor: z.string().optional(),
  })
  .meta({ id: "Pagination" });

/**
 * The stable, machine-readable reason of a problem [ext]: one list for the API, the keys client, the
 * dashboard's actions and its components, which branch on these and never on the wording of `detail`.
 */
export const PROBLEM_CODES = [
  "invalid_request", // 400: the request itself is wrong (a field, the body, a cursor)
  "role_above_cap", // 400: a service key's role above the caller's own; `errors` names each field
  "authentication_required", // 401: no credential, or one that is not valid (one answer for every kind)
  "forbidden", // 403: the caller can see the thing but may not do this to it
  "not_found", // 404: does not exist, or the caller cannot see it (the same answer)
  "method_not_allowed", // 405
  "conflict", // 409: the state forbids it (e.g. refreshing a revoked key)
  "unprocessable", // 422
  "not_supported", // 422: valid for Arize, not here (ANNOTATOR, custom roles, role bindings, resource restrictions)
  "lifetime_above_policy", // 422: an expiry later than the account's key policy allows (or none under a cap)
  "password_change_required", // 403: a temporary-password session may only call POST /v2/me/password
  "rate_limited", // 429: with Retry-After
  "internal_error", // 500
  "not_implemented", // 501: not on this server's kind of database (a backup on PostgreSQL: use pg_dump)
  "database_unavailable", // 503: the database cannot answer right now; with Retry-After
  "upstream_unavailable", // 503: a service Keydesk depends on (GitHub's public keys) cannot be read; with Retry-After
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const ProblemSchema = z
  .object({
    type: z.string().optional(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.enum(PROBLEM_CODES).optional().meta({
      description:
        "[ext] The stable reason, for programs to branch on (omitted for Arize's Python clients, whose Problem model refuses unknown fields).",
    }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "Which request fields were wrong, each with its own message." }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

export const timestamp = () => z.string().meta({ format: "date-time", example: "2026-11-24T10:00:00.000Z" });

/**
 * A response enum as the default dialect spells it (listed in the OpenAPI document). Clients of other
 * generations get other spellings (SCREAMING_SNAKE, `deleted`; lib/api/dialect.ts), so its type is a
 * string.
 */
export const dialectEnum = (values: readonly [string, ...string[]]) =>
  z.string().meta({
    enum: [...values],
    description: "Generation C/D clients (by `sdk-version`): SCREAMING_SNAKE_CASE.",
  });
