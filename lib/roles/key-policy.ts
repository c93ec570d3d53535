import { ALLOWED, refused, type Decision } from "./decision";
import type { AccountRole } from "./names";

/** Who may change the account's key policy (lifecycle.md §3): account admins; everyone signed in reads it. */
export function mayEditKeyPolicy(accountRole: AccountRole): Decision {
  return accountRole === "admin" ? ALLOWED : refused("Only account admins can change the key policy.");
}

/**
 * The reason an expiry choice of `days` days is out of reach under a cap of `capDays` (null: no cap),
 * or null when it is allowed. `days` null = never expires.
 */
export function lifetimeRefusal(days: number | null, capDays: number | null): string | null {
  if (capDays === null) return null;
  if (days !== null && days <= capDays) return null;
  return `Your account allows at most ${capDays} days`;
}
