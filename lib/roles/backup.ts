import { ALLOWED, refused, type Decision } from "./decision";
import type { AccountRole } from "./names";

/**
 * Who may take a backup of the whole database (`POST /v2/backup`, docs/backups.md): an account admin
 * signed in or with their own user key. Never a service key: a copy of everything, webhooks' secrets
 * and every password's and key's digest included, is a person's act, not a program's.
 */
export function mayCreateBackup(caller: {
  accountRole: AccountRole;
  credential: "session" | "user_key" | "service_key";
}): Decision {
  if (caller.credential === "service_key")
    return refused("Service keys cannot take backups: use an admin's user key.");
  return caller.accountRole === "admin" ? ALLOWED : refused("Only account admins can take backups.");
}
