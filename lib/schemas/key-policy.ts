import { z } from "zod";
import { enumInput } from "./common";

/** lifecycle.md §3: the account's key policy. */
export const LEAK_ACTIONS = ["revoke", "notify"] as const;
export type LeakAction = (typeof LEAK_ACTIONS)[number];
export const LEAK_ACTION_LABEL: Record<LeakAction, string> = { revoke: "Revoke it", notify: "Notify only" };

const MAX_LIFETIME_DAYS = 3650;
export const DEFAULT_WARNING_DAYS = [30, 7, 1];
const MAX_WARNINGS = 5;

const DAYS_MESSAGE = `Use a whole number of days from 1 to ${MAX_LIFETIME_DAYS}, or leave it empty for none.`;
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

const WARNING_MESSAGE = "Each warning is a whole number of days from 1 to 365.";
const warningDaysSchema = z
  .array(
    z
      .number({ error: WARNING_MESSAGE })
      .int(WARNING_MESSAGE)
      .min(1, WARNING_MESSAGE)
      .max(365, WARNING_MESSAGE),
  )
  .max(MAX_WARNINGS, `At most ${MAX_WARNINGS} warnings.`)
  .refine((list) => new Set(list).size === list.length, "List each number of days once.")
  .meta({ description: "0–5 distinct numbers of days before expiry, 1–365, at which owners are warned." });

export interface KeyPolicyJson {
  max_lifetime_days: { user: number | null; service: number | null };
  default_lifetime_days: { user: number | null; service: number | null };
  warning_days: number[];
  leak_action: LeakAction;
}

export const KeyPolicySchema = z
  .object({
    max_lifetime_days: perKeyType("Longest lifetime in days"),
    default_lifetime_days: perKeyType("Lifetime preselected in New API Key, at most the cap,"),
    warning_days: warningDaysSchema,
    leak_action: z.enum(LEAK_ACTIONS).meta({ description: "What a leak report does (default `revoke`)." }),
  })
  .meta({ id: "KeyPolicy", description: "[ext] The account's key policy." });

/** The defaults must fit under the caps: one check for the API, the domain and the form. */
export function defaultsAboveCaps(policy: KeyPolicyJson): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const type of ["user", "service"] as const) {
    const cap = policy.max_lifetime_days[type];
    const chosen = policy.default_lifetime_days[type];
    if (cap !== null && chosen !== null && chosen > cap)
      problems.push({
        field: `default_lifetime_days.${type}`,
        message: `The default ${type} key lifetime (${chosen} days) is longer than the longest allowed (${cap} days).`,
      });
  }
  return problems;
}

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

// ── The page's form: text inputs, turned into the API's body ────────────────────────────────────

const dayText = z
  .string()
  .trim()
  .refine(
    (v) => v === "" || (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_LIFETIME_DAYS),
    DAYS_MESSAGE,
  );

/** "30, 7, 1" → [30, 7, 1]; null when it is not such a list. */
function parseWarningDays(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "");
  if (!parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  return parts.map(Number);
}

const toDays = (v: string) => (v === "" ? null : Number(v));

export const KeyPolicyFormSchema = z
  .object({
    maxUser: dayText,
    maxService: dayText,
    defaultUser: dayText,
    defaultService: dayText,
    warningDays: z.string(),
    leakAction: z.enum(LEAK_ACTIONS),
  })
  .superRefine((value, ctx) => {
    const list = parseWarningDays(value.warningDays);
    const checked = list && warningDaysSchema.safeParse(list);
    if (!checked || !checked.success)
      ctx.addIssue({
        code: "custom",
        path: ["warningDays"],
        message:
          checked?.error?.issues[0]?.message ??
          "List whole numbers of days separated by commas, e.g. 30, 7, 1.",
      });
    // Defaults against caps only once each is a valid number of days (else its own message says why).
    const daysValid = [value.maxUser, value.maxService, value.defaultUser, value.defaultService].every(
      (v) => dayText.safeParse(v).success,
    );
    if (daysValid)
      for (const problem of defaultsAboveCaps(keyPolicyBody({ ...value, warningDays: "" })))
        ctx.addIssue({
          code: "custom",
          path: [problem.field.endsWith("user") ? "defaultUser" : "defaultService"],
          message: problem.message,
        });
  });
export type KeyPolicyForm = z.input<typeof KeyPolicyFormSchema>;

/** The form's values as the API's body. */
export function keyPolicyBody(form: KeyPolicyForm): KeyPolicyJson {
  return {
    max_lifetime_days: { user: toDays(form.maxUser.trim()), service: toDays(form.maxService.trim()) },
    default_lifetime_days: {
      user: toDays(form.defaultUser.trim()),
      service: toDays(form.defaultService.trim()),
    },
    warning_days: parseWarningDays(form.warningDays) ?? [],
    leak_action: form.leakAction,
  };
}

/** The policy as the form's values. */
export function keyPolicyForm(policy: KeyPolicyJson): KeyPolicyForm {
  const text = (n: number | null) => (n === null ? "" : String(n));
  return {
    maxUser: text(policy.max_lifetime_days.user),
    maxService: text(policy.max_lifetime_days.service),
    defaultUser: text(policy.default_lifetime_days.user),
    defaultService: text(policy.default_lifetime_days.service),
    warningDays: policy.warning_days.join(", "),
    leakAction: policy.leak_action,
  };
}
