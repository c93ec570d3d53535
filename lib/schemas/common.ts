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
      return aliases[lower] ?? lower;
    },
    z.enum(values, { error: () => `Expected one of: ${values.join(", ")}.` }),
  );
}

const LIMIT_MESSAGE = "`limit` must be a whole number from 1 to 100.";
export const limitQuery = z
  // Plain digits only: `1e1` or `0x10` are not page sizes a person meant.
  .preprocess(
    (value) => (typeof value === "string" && /^\d{1,4}$/.test(value) ? Number(value) : value),
    z.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE),
  )
  .default(50)
  .meta({ description: "Page size, 1–100 (default 50)." });

export const cursorQuery = z
  .string()
  .max(200, "`cursor` is not a valid pagination cursor.")
  .optional()
  .meta({ description: "`next_cursor` from the previous page." });

export const PaginationSchema = z
  .object({
    has_more: z.boolean(),
    next_cursor: z.string().optional(),
  })
  .meta({ id: "Pagination" });

export const ProblemSchema = z
  .object({
    type: z.string().optional(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "Which request fields were wrong, for 400s from validation." }),
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
