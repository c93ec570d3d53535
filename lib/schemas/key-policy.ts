import { z } from "zod";
import { enumInput } from "./common";
import {
  DAYS_MESSAGE,
  LEAK_ACTIONS,
  MAX_LIFETIME_DAYS,
  MAX_WARNING_DAYS,
  MAX_WARNINGS,
  REPEATED_WARNING,
  TOO_MANY_WARNINGS,
  WARNING_MESSAGE,
} from "./key-policy-rules";

/** lifecycle.md §3: the account's key policy, as the API reads and answers it (rules: key-policy-rules.ts). */
const days = z
  .number({ error: DAYS_MESSAGE })
  .int(DAYS_MESSAGE)
  .min(1, DAYS_MESSAGE)
  .max(MAX_LIFETIME_DAYS, DAYS_MESSAGE)
  .nullable();

const perKeyType = (description: string) =>
  z
    .object({
      user: days.meta({ description: `${description} for user keys; null = none.` }),
      service: days.meta({ description: `${description} for service keys; null = none.` }),
    })
    .strict();

const warningDaysSchema = z
  .array(
    z
      .number({ error: WARNING_MESSAGE })
      .int(WARNING_MESSAGE)
      .min(1, WARNING_MESSAGE)
      .max(MAX_WARNING_DAYS, WARNING_MESSAGE),
  )
  .max(MAX_WARNINGS, TOO_MANY_WARNINGS)
  .refine((list) => new Set(list).size === list.length, REPEATED_WARNING)
  .meta({ description: "0–5 distinct numbers of days before expiry, 1–365, at which owners are warned." });

export const KeyPolicySchema = z
  .object({
    max_lifetime_days: perKeyType("Longest lifetime in days"),
    default_lifetime_days: perKeyType("Lifetime preselected in New API Key, at most the cap,"),
    warning_days: warningDaysSchema,
    leak_action: z.enum(LEAK_ACTIONS).meta({ description: "What a leak report does (default `revoke`)." }),
  })
  .meta({ id: "KeyPolicy", description: "[ext] The account's key policy." });

/** `PUT /v2/key-policy`: each field left out keeps its current value. */
export const UpdateKeyPolicySchema = z
  .object({
    max_lifetime_days: perKeyType("Longest lifetime in days").partial().optional(),
    default_lifetime_days: perKeyType("Lifetime preselected in New API Key, at most the cap,")
      .partial()
      .optional(),
    warning_days: warningDaysSchema.optional(),
    leak_action: enumInput(LEAK_ACTIONS).optional(),
  })
  .strict()
  .meta({ id: "UpdateKeyPolicy", description: "Fields left out keep their current value." });
export type UpdateKeyPolicyBody = z.output<typeof UpdateKeyPolicySchema>;
