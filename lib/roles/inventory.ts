import { ALLOWED, refused, type Decision } from "./decision";
import type { AccountRole } from "./names";

/** Every key in the account (lifecycle.md §4): account admins only, in the API and on the screen. */
export function mayListAccountKeys(accountRole: AccountRole): Decision {
  return accountRole === "admin"
    ? ALLOWED
    : refused("Only account admins can list every key in the account.");
}
