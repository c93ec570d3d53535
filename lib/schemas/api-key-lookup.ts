import { z } from "zod";
import { ApiKeyDetailsSchema } from "./api-key-details";

// Check a key (lifecycle.md §6): `POST /v2/api-keys/lookup` [ext], and the dashboard's Check a key dialog.

/** Longer than any key (72 characters) with room for what a paste drags along; refused beyond. */
const MAX_PASTED = 1000;

const LOOKUP_MATCHES = ["current", "previous"] as const;
export type LookupMatch = (typeof LOOKUP_MATCHES)[number];

export const LookupApiKeySchema = z
  .object({
    key: z
      .string({ error: "Paste the key to check (`ak-…`)." })
      .max(MAX_PASTED, "That is far longer than a key; paste the key alone.")
      // Whitespace and line breaks around a pasted key are not part of it.
      .trim()
      .min(1, "Paste the key to check (`ak-…`).")
      .meta({ description: "The raw key (`ak-…`). Whitespace and line breaks around it are ignored." }),
  })
  .strict()
  .meta({ id: "ApiKeyLookup" });

export const LookupApiKeyResultSchema = ApiKeyDetailsSchema.extend({
  matched: z.enum(LOOKUP_MATCHES).meta({
    description:
      "`current`: the key's current secret. `previous`: the secret a refresh replaced, still in its grace period.",
  }),
}).meta({
  id: "ApiKeyLookupResult",
  description: "[ext] The key, as `GET /v2/api-keys/{id}` gives it, and which of its secrets matched.",
});
export type LookupApiKeyResultJson = z.infer<typeof LookupApiKeyResultSchema>;
