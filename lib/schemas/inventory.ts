import { z } from "zod";
import { KEY_STATUS_FILTERS, KEY_TYPES } from "./api-keys";

/** At most this many keys per Revoke selected. */
const MAX_REVOKE_IDS = 500;

/** `POST /v2/api-keys/revoke` [ext]: revoke many keys at once (lifecycle.md §4). */
export const RevokeApiKeysSchema = z
  .object({
    ids: z
      .array(z.string().max(200), { error: "Give `ids`, a list of API key ids." })
      .min(1, "Give at least one key id.")
      .max(MAX_REVOKE_IDS, `At most ${MAX_REVOKE_IDS} keys per request.`)
      .refine((ids) => new Set(ids).size === ids.length, "Each key id at most once.")
      .meta({ description: `API key ids, 1–${MAX_REVOKE_IDS}, distinct.` }),
  })
  .strict()
  .meta({ id: "ApiKeysRevoke" });

export const RevokeApiKeysResultSchema = z
  .object({
    revoked: z
      .number()
      .int()
      .meta({ description: "How many keys this request revoked (already revoked ones not counted)." }),
  })
  .meta({ id: "ApiKeysRevoked" });

/** The All Keys tab's choices: **Expiring within** and **Unused for**, in days. */
export const EXPIRING_WITHIN_DAYS = ["7", "30", "90"] as const;
export const UNUSED_FOR_DAYS = ["30", "90"] as const;

/** What the All Keys tab asks the list action for: its filters as the URL holds them, and a page. */
export const ListAccountKeysInputSchema = z
  .object({
    type: z.enum(KEY_TYPES).optional(),
    status: z.enum(KEY_STATUS_FILTERS),
    ownerId: z.string().max(200).optional(),
    expiringWithin: z.enum(EXPIRING_WITHIN_DAYS).optional(),
    unusedFor: z.enum(UNUSED_FOR_DAYS).optional(),
    /** Only keys the account's key policy would refuse today. */
    exceedsPolicy: z.literal(true).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type ListAccountKeysInput = z.output<typeof ListAccountKeysInputSchema>;
