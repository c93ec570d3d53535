import type { KeyPolicyJson } from "@/lib/schemas/key-policy-rules";
import { lifetimeRefusal } from "@/lib/roles/key-policy";
import type { RefreshExpirationChoice } from "@/lib/schemas/api-key-forms";
import type { ExpirationOption } from "@/components/api-keys/expiry";

const DAY_MS = 86_400_000;
const PRESET_DAYS: Partial<Record<RefreshExpirationChoice, number | null>> = {
  never: null,
  "30": 30,
  "60": 60,
  "90": 90,
};

/** The cap (days) for this key type, or null. */
export const lifetimeCap = (policy: KeyPolicyJson | undefined, keyType: "user" | "service") =>
  policy?.max_lifetime_days[keyType] ?? null;

/**
 * The expiry choices with those beyond the cap disabled (a custom date stays, checked on submit).
 * `keepDays`: how long the "keep current expiry" choice would leave the key (null: never expires).
 */
export function cappedOptions(
  options: ExpirationOption[],
  cap: number | null,
  keepDays?: number | null,
): ExpirationOption[] {
  return options.map((option) => {
    const days = option.value === "keep" ? (keepDays ?? null) : PRESET_DAYS[option.value];
    if (days === undefined) return option;
    return lifetimeRefusal(days, cap) ? { ...option, disabled: true } : option;
  });
}

/** The hint under Expiration while a cap applies: "Your account allows at most 90 days". */
export const capReason = (cap: number | null) => lifetimeRefusal(null, cap);

/** yyyy-mm-dd, local, `days` from now. */
function localDateIn(days: number, now = new Date()): string {
  const at = new Date(now.getTime() + days * DAY_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Without a policy default, a new key lives this long (lifecycle.md §3): never "Never" by default. */
const FALLBACK_LIFETIME_DAYS = 90;

/**
 * What New API Key (and Refresh, for a key without a future expiry) preselects: the policy's default
 * lifetime for the key type (a preset when it is one, else that many days as a custom date), else 90
 * days, or under a shorter cap the longest preset it allows (or a custom date at the cap).
 */
export function defaultExpiration(
  policy: KeyPolicyJson | undefined,
  keyType: "user" | "service",
  now = new Date(),
): { expiration: "never" | "30" | "60" | "90" | "custom"; expirationDate: string } {
  const chosen = policy?.default_lifetime_days[keyType] ?? null;
  const cap = lifetimeCap(policy, keyType);
  const days = chosen ?? Math.min(cap ?? FALLBACK_LIFETIME_DAYS, FALLBACK_LIFETIME_DAYS);
  const preset = (["90", "60", "30"] as const).find((p) =>
    chosen !== null ? Number(p) === chosen : Number(p) <= days,
  );
  if (preset) return { expiration: preset, expirationDate: "" };
  return { expiration: "custom", expirationDate: localDateIn(days, now) };
}

/** Whether an expiry (RFC 3339, undefined = never) is beyond the cap, counted from now. */
export function beyondCap(expiresAt: string | undefined, cap: number | null, now = Date.now()): boolean {
  if (cap === null) return false;
  if (expiresAt === undefined) return true;
  return new Date(expiresAt).getTime() > now + cap * DAY_MS;
}
