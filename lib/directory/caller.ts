import { asc, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { users } from "../db/schema";
import { unauthenticated } from "../domain/errors";
import type { Principal } from "../auth/principal";
import { loadAccess } from "../auth/access";

/**
 * The caller as committed now (issue 16, 14a): their user row — and the row of the person a change is
 * about, in id order so that two admins changing each other cannot deadlock — locked until the change
 * commits, then their roles read. Every change of a person's roles or status locks their row first, so
 * a change decides by the roles its caller holds when it commits, not by those read when the request
 * authenticated (a concurrent demotion either came first and counts, or waits for this change).
 */
export async function currentCaller(
  tx: DbOrTx,
  principal: Principal,
  targetUserId?: string | null,
): Promise<Principal> {
  const ids = [...new Set([principal.user.id, ...(targetUserId ? [targetUserId] : [])])];
  await tx
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.id, ids))
    .orderBy(asc(users.id))
    .for("update");
  const access = await loadAccess(tx, principal.user.id);
  if (!access) throw unauthenticated();
  return { ...principal, user: access.user, organizations: access.organizations };
}
