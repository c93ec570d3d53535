import { z } from "zod";
import { cursorQuery, limitQuery, PaginationSchema, textInput, timestamp } from "./common";
import { ApiKeySchema, includeValues } from "./api-keys";
import { AuditLogSchema } from "./roles-and-audit";
import { LeakReportSchema } from "./secret-scanning";

// One key and what happened to it (lifecycle.md §1): `GET /v2/api-keys/{id}` and its `/events`.

const REVOCATION_REASONS = ["manual", "leaked", "owner_blocked", "scope_deleted"] as const;

export const GetApiKeyQuerySchema = z.object({
  include: textInput()
    .max(100)
    .refine(
      (value) => includeValues(value) !== null,
      "`include` takes `details` and/or `exceeds_creator_role`, comma-separated.",
    )
    .optional()
    .meta({
      description:
        "[ext] `details`: Arize's clients get the details and history fields too (the default dialect always does).",
    }),
});

const PersonSchema = z.object({ id: z.string(), name: z.string(), email: z.string().optional() });

const KeyAddressSchema = z
  .object({
    address: z.string(),
    first_seen_at: timestamp(),
    last_seen_at: timestamp(),
    requests: z.number().int().meta({ description: "Approximate, like `last_used_at`." }),
    user_agent: z.string().optional().meta({ description: "The last seen, at most 200 characters." }),
  })
  .meta({ id: "ApiKeyAddress" });

export const ApiKeyDetailsSchema = ApiKeySchema.extend({
  revoked_at: timestamp().optional(),
  revoked_by: PersonSchema.optional().meta({
    description: "Who revoked it; absent when Keydesk did (a leak, a policy) or while active.",
  }),
  revocation_reason: z.enum(REVOCATION_REASONS).optional(),
  refreshed_at: timestamp().optional().meta({ description: "The last rotation." }),
  usage: z
    .object({
      last_used_at: timestamp().optional(),
      addresses: z.array(KeyAddressSchema).meta({
        description: "The 10 most recently seen distinct client addresses, most recent first.",
      }),
      previous_secret_last_used_at: timestamp().optional().meta({
        description:
          "While a refreshed key's previous secret is in its grace: when it was last used (absent: not since the refresh).",
      }),
    })
    .optional(),
  leak_reports: z.array(LeakReportSchema).optional().meta({
    description:
      "[ext] Where its secrets were reported found (GitHub secret scanning, GitLab), newest first, at most 20. Keydesk's own dialect only.",
  }),
}).meta({
  id: "ApiKeyDetails",
  description:
    "[ext] The key as listed; in the default dialect (and with `include=details` for Arize's clients) also its details, who revoked it and why, and its usage.",
});
export type ApiKeyDetailsJson = z.infer<typeof ApiKeyDetailsSchema>;

const ApiKeyEventSchema = AuditLogSchema.extend({
  user_id: z.string().optional().meta({ description: "The actor; absent when Keydesk itself acted." }),
  user: PersonSchema.optional().meta({ description: "[ext] The actor's name and email." }),
}).meta({ id: "ApiKeyEvent" });

export const ApiKeyEventListSchema = z
  .object({ events: z.array(ApiKeyEventSchema), pagination: PaginationSchema })
  .meta({ id: "ApiKeyEventList" });
export type ApiKeyEventListJson = z.infer<typeof ApiKeyEventListSchema>;

export const ListApiKeyEventsQuerySchema = z.object({ limit: limitQuery, cursor: cursorQuery });

/** The dashboard's call for a page of a key's history. */
export const ListApiKeyEventsInputSchema = z
  .object({ id: z.string().min(1).max(200), cursor: z.string().max(200).optional() })
  .strict();
