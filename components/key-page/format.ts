import type { ApiKeyDetailsJson } from "@/lib/schemas/api-key-details";

const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** "Jun 1, 2026, 8:00 AM": when something happened, exactly. */
export function at(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}

type Reason = NonNullable<ApiKeyDetailsJson["revocation_reason"]>;

/** Why a key was revoked, as the page says it after "Reason:". */
export const REASON_LABEL: Record<Reason, string> = {
  manual: "Manual revoke",
  leaked: "Leaked (found in a public place)",
  owner_blocked: "Owner blocked",
  scope_deleted: "Space or organization deleted",
};

const EVENT_LABEL: Record<string, string> = {
  create_api_key: "Created",
  refresh_api_key: "Refreshed",
  revoke_api_key: "Revoked",
  "api_key.leak_reported": "Leak reported",
  "api_key.lookup": "Checked (Check a key)",
};

/**
 * An audit row as a person reads it: "Refreshed", "Revoked — Owner blocked", or the operation's words.
 * `variables` is the row's JSON (never a secret); a revoke names its reason there unless it was manual.
 */
export function eventLabel(operation: string, variables?: string): string {
  const known = EVENT_LABEL[operation];
  if (operation === "revoke_api_key") {
    const reason = reasonOf(variables);
    if (reason && reason !== "manual") return `Revoked — ${REASON_LABEL[reason]}`;
  }
  if (known) return known;
  const words = operation.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function reasonOf(variables: string | undefined): Reason | null {
  if (!variables) return null;
  try {
    const parsed: unknown = JSON.parse(variables);
    const reason = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "reason") : undefined;
    return typeof reason === "string" && Object.hasOwn(REASON_LABEL, reason) ? (reason as Reason) : null;
  } catch {
    return null;
  }
}
