import { eq } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { forbidden, notFound } from "../domain/errors";
import { isAccountAdmin, type Principal } from "../auth/principal";
import { currentCaller } from "./caller";
import type { DirectoryEvents } from "./context";
import { loadPerson } from "./users";

/** What an unblocked person comes back as. */
export type UnblockedStatus = "active" | "invited";

/**
 * Undoes `blockUser`: the person may sign in again. Only that: the sessions it ended stay ended, the
 * memberships it removed stay removed (an admin adds them again), and the user keys it revoked stay
 * revoked (reason `owner_blocked`). Someone with a password comes back ACTIVE (a temporary one must
 * still be changed at the next sign-in); someone who never chose one (blocked before joining) comes
 * back INVITED with an invitation that has already expired, so Resend invitation sends a new one.
 * Account admins only, idempotent (a person who is not blocked is left as they are).
 * `seesBlocked: false` (clients of generations C/D): a blocked person does not exist, so 404.
 */
export async function unblockUser(
  db: Db,
  clock: Clock,
  input: { principal: Principal; userId: string | null; clientAddress?: string | null; seesBlocked: boolean },
  events?: DirectoryEvents,
): Promise<{ changed: boolean; status: UnblockedStatus | null }> {
  const { principal } = input;
  if (!isAccountAdmin(principal)) throw forbidden("Only account admins can unblock users.");
  const userId = input.userId;
  if (!userId) throw notFound("No user with that id.");
  const result = await db.transaction(async (tx) => {
    const caller = await currentCaller(tx, principal, userId);
    if (!isAccountAdmin(caller)) throw forbidden("Only account admins can unblock users.");
    const target = await loadPerson(tx, principal.user.accountId, userId, true);
    if (target.status !== "blocked") return { changed: false, status: null };
    if (!input.seesBlocked) throw notFound("No user with that id.");
    const now = clock.now();
    const status: UnblockedStatus = target.passwordHash ? "active" : "invited";
    await tx
      .update(users)
      .set({
        status,
        blockedAt: null,
        // No password yet: an invitation that ended when they were blocked (status EXPIRED).
        ...(status === "invited" ? { inviteExpiresAt: now } : {}),
      })
      .where(eq(users.id, userId));
    await writeAudit(tx, {
      at: now,
      accountId: principal.user.accountId,
      actorUserId: principal.user.id,
      actorCredential: principal.credential.type,
      action: "user.unblock",
      targetType: "user",
      targetId: userId,
      clientAddress: input.clientAddress,
      details: { status: status === "invited" ? "expired" : status },
    });
    return { changed: true, status };
  });
  if (result.changed) events?.usersChanged([userId]);
  return result;
}
