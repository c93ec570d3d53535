/**
 * lifecycle.md §3, the account's key policy: its limits, messages and the page form's checks, without
 * zod, so the policy page's first load stays small. The zod schemas of the API (key-policy.ts) are
 * built from the same limits and messages.
 */
export const LEAK_ACTIONS = ["revoke", "notify"] as const;
export type LeakAction = (typeof LEAK_ACTIONS)[number];
export const LEAK_ACTION_LABEL: Record<LeakAction, string> = { revoke: "Revoke it", notify: "Notify only" };

export const MAX_LIFETIME_DAYS = 3650;
export const DEFAULT_WARNING_DAYS = [30, 7, 1];
export const MAX_WARNINGS = 5;
export const MAX_WARNING_DAYS = 365;

export const DAYS_MESSAGE = `Use a whole number of days from 1 to ${MAX_LIFETIME_DAYS}, or leave it empty for none.`;
export const WARNING_MESSAGE = `Each warning is a whole number of days from 1 to ${MAX_WARNING_DAYS}.`;
export const TOO_MANY_WARNINGS = `At most ${MAX_WARNINGS} warnings.`;
export const REPEATED_WARNING = "List each number of days once.";

export interface KeyPolicyJson {
  max_lifetime_days: { user: number | null; service: number | null };
  default_lifetime_days: { user: number | null; service: number | null };
  warning_days: number[];
  leak_action: LeakAction;
}

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

// ── The page's form: text inputs, turned into the API's body ────────────────────────────────────

export interface KeyPolicyForm {
  maxUser: string;
  maxService: string;
  defaultUser: string;
  defaultService: string;
  warningDays: string;
  leakAction: LeakAction;
}

const isDays = (text: string) => {
  const v = text.trim();
  return v === "" || (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_LIFETIME_DAYS);
};

/** "30, 7, 1" → [30, 7, 1]; null when it is not such a list. */
function parseWarningDays(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "");
  if (!parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  return parts.map(Number);
}

const toDays = (v: string) => (v.trim() === "" ? null : Number(v.trim()));

/** The form's values as the API's body. */
export function keyPolicyBody(form: KeyPolicyForm): KeyPolicyJson {
  return {
    max_lifetime_days: { user: toDays(form.maxUser), service: toDays(form.maxService) },
    default_lifetime_days: { user: toDays(form.defaultUser), service: toDays(form.defaultService) },
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

/** What is wrong with the form's values, by field (empty: nothing), with the API's own rules and words. */
export function keyPolicyFormErrors(values: KeyPolicyForm): Partial<Record<keyof KeyPolicyForm, string>> {
  const errors: Partial<Record<keyof KeyPolicyForm, string>> = {};
  for (const field of ["maxUser", "maxService", "defaultUser", "defaultService"] as const)
    if (!isDays(values[field])) errors[field] = DAYS_MESSAGE;
  const warnings = parseWarningDays(values.warningDays);
  if (!warnings) errors.warningDays = "List whole numbers of days separated by commas, e.g. 30, 7, 1.";
  else if (warnings.some((d) => d < 1 || d > MAX_WARNING_DAYS)) errors.warningDays = WARNING_MESSAGE;
  else if (warnings.length > MAX_WARNINGS) errors.warningDays = TOO_MANY_WARNINGS;
  else if (new Set(warnings).size !== warnings.length) errors.warningDays = REPEATED_WARNING;
  if (!LEAK_ACTIONS.includes(values.leakAction))
    errors.leakAction = `Expected one of: ${LEAK_ACTIONS.join(", ")}.`;
  // Defaults against caps only once each is a valid number of days (else its own message says why).
  if (Object.keys(errors).every((f) => f === "warningDays" || f === "leakAction"))
    for (const problem of defaultsAboveCaps(keyPolicyBody(values)))
      errors[problem.field.endsWith("user") ? "defaultUser" : "defaultService"] = problem.message;
  return errors;
}
