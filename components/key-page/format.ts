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
};

/** An audit row's operation as a person reads it: "Refreshed", or the operation's words. */
export function eventLabel(operation: string): string {
  const known = EVENT_LABEL[operation];
  if (known) return known;
  const words = operation.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
