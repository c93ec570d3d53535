import { z } from "zod";
import { ACCOUNT_ROLES, SCOPE_ROLES } from "../roles/names";
import {
  KEY_STATUS_FILTERS,
  type KeyStatusFilter,
  KEY_TYPES,
  keyDescriptionSchema,
  keyNameSchema,
  MAX_GRACE_SECONDS,
} from "./api-keys";

export const EXPIRATION_CHOICES = ["never", "30", "60", "90", "custom"] as const;
export type ExpirationChoice = (typeof EXPIRATION_CHOICES)[number];
export const EXPIRATION_LABEL: Record<ExpirationChoice, string> = {
  never: "Never",
  "30": "30 days",
  "60": "60 days",
  "90": "90 days",
  custom: "Custom date",
};

/** Refresh also offers keeping the key's current expiry (preselected when it has one). */
const REFRESH_EXPIRATION_CHOICES = ["keep", ...EXPIRATION_CHOICES] as const;
export type RefreshExpirationChoice = (typeof REFRESH_EXPIRATION_CHOICES)[number];

export const GRACE_CHOICES = [
  { seconds: 0, label: "None — stop the old key now" },
  { seconds: 300, label: "5 minutes" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "24 hours" },
] as const;
/** What Refresh preselects: the old secret keeps working for 24 hours. */
export const DEFAULT_GRACE_SECONDS = 86_400;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar date (yyyy-mm-dd) → the start of that day in the browser's time zone. */
function startOfLocalDay(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, d ?? 1);
}

function todayLocal(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The earliest day a custom expiry may name (the date input's `min`). */
export function tomorrowLocal(): string {
  return todayLocal(new Date(Date.now() + 86_400_000));
}

const expirationFields = {
  expiration: z.enum(EXPIRATION_CHOICES),
  expirationDate: z.string(),
};

function refineExpiration(
  value: { expiration: RefreshExpirationChoice; expirationDate: string },
  ctx: z.RefinementCtx,
) {
  if (value.expiration !== "custom") return;
  if (!DATE.test(value.expirationDate)) {
    ctx.addIssue({
      code: "custom",
      path: ["expirationDate"],
      message: "Pick the day the key should stop working.",
    });
  } else if (startOfLocalDay(value.expirationDate).getTime() <= Date.now()) {
    ctx.addIssue({ code: "custom", path: ["expirationDate"], message: "Pick a date in the future." });
  }
}

/** When a key made now should expire, as RFC 3339; undefined = never. */
export function expiresAtFor(
  expiration: ExpirationChoice,
  expirationDate: string,
  now = new Date(),
): string | undefined {
  if (expiration === "never") return undefined;
  if (expiration === "custom") return startOfLocalDay(expirationDate).toISOString();
  return new Date(now.getTime() + Number(expiration) * 86_400_000).toISOString();
}

/** The New API Key form. Name and description rules are the API's own. */
export const NewApiKeyFormSchema = z
  .object({
    keyType: z.enum(KEY_TYPES),
    name: keyNameSchema,
    description: keyDescriptionSchema,
    ...expirationFields,
    spaceId: z.string(),
    spaceRole: z.enum(SCOPE_ROLES),
    orgRole: z.enum(SCOPE_ROLES),
    accountRole: z.enum(ACCOUNT_ROLES),
  })
  .superRefine((value, ctx) => {
    refineExpiration(value, ctx);
    if (value.keyType === "service" && !value.spaceId) {
      ctx.addIssue({ code: "custom", path: ["spaceId"], message: "Choose the space this key works in." });
    }
  });
export type NewApiKeyForm = z.input<typeof NewApiKeyFormSchema>;

export const RefreshApiKeyFormSchema = z
  .object({
    expiration: z.enum(REFRESH_EXPIRATION_CHOICES),
    expirationDate: z.string(),
    graceSeconds: z.coerce.number().int().min(0).max(MAX_GRACE_SECONDS),
  })
  .superRefine(refineExpiration);
export type RefreshApiKeyForm = z.input<typeof RefreshApiKeyFormSchema>;

/**
 * The `status` the dashboard's lists ask the keys API for: its **Active** means usable now (neither
 * revoked nor expired), the API's [ext] `usable`; the API's own `active` keeps Arize's meaning, under
 * which an expired key is still active.
 */
export function apiStatusFilter(status: KeyStatusFilter): KeyStatusFilter {
  return status === "active" ? "usable" : status;
}

/** What the page asks the list action for. */
export const ListApiKeysInputSchema = z
  .object({
    tab: z.enum(["user", "service"]),
    spaceId: z.string().max(200).optional(),
    status: z.enum(KEY_STATUS_FILTERS),
    search: z.string().max(256).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const ApiKeyIdInputSchema = z.object({ id: z.string().min(1).max(200) }).strict();
