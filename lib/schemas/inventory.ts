import { z } from "zod";

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
