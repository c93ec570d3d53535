import { and, eq } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { apiKeys, organizationMemberships, sessions, spaceMemberships, users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { forbidden, notFound } from "../domain/errors";
import { isAccountAdmin, type Principal } from "../auth/principal";
import { currentCaller } from "./caller";
import type { DirectoryEvents } from "./context";
import { assertNotLastAdmin, loadPerson } from "./users";
import { endSignedInApps } from "../auth/oauth/signed-in-apps";

export type { DirectoryEvents } from "./context";

/**
 * Blocks a user: no more sign-ins, sessions ended, memberships gone, user keys revoked at once
 * (reason `owner_blocked`, each with its audit row). Service keys they created live on: they act as bot users.
 * Account admins only, never oneself, idempotent.
 */
export async function blockUser(
  db: Db,
  clock: Clock,
  input: { principal: Principal; userId: string | null; clientAddress?: string | null },
  events?: DirectoryEvents,
): Promise<void> {
  const { principal } = input;
  if (!isAccountAdmin(principal)) throw forbidden("Only account admins can block users.");
  const userId = input.userId;
  if (!userId) throw notFound("No user with that id.");
  const changed = await db.transaction(async (tx) => {
    // Decided again by the caller's role as committed now, both rows locked (issue 16, 14a).
    const caller = await currentCaller(tx, principal, userId);
    if (!isAccountAdmin(caller)) throw forbidden("Only account admins can block users.");
    // A person first: a service key's bot is not found, even by its own key.
    const target = await loadPerson(tx, principal.user.accountId, userId, true);
    if (target.id === principal.user.id) throw forbidden("You cannot block yourself.");
    if (target.status === "blocked") return false;
    await assertNotLastAdmin(tx, principal.user.accountId, userId);
    const now = clock.now();
    await tx
      .update(users)
      .set({
        status: "blocked",
        blockedAt: now,
        inviteTokenDigest: null,
        inviteTokenPurpose: null,
        inviteExpiresAt: null,
      })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    // The ax CLI's sign-ins end too, so that unblocking does not bring them back.
    await endSignedInApps(tx, userId);
    await tx.delete(organizationMemberships).where(eq(organizationMemberships.userId, userId));
    await tx.delete(spaceMemberships).where(eq(spaceMemberships.userId, userId));
    const revoked = await tx
      .update(apiKeys)
      .set({
        status: "revoked",
        revokedAt: now,
        revokedByUserId: principal.user.id,
        revocationReason: "owner_blocked",
      })
      .where(and(eq(apiKeys.userId, userId), eq(apiKeys.keyType, "user"), eq(apiKeys.status, "active")))
      .returning({ id: apiKeys.id });
    for (const { id } of revoked)
      await writeAudit(tx, {
        at: now,
        accountId: principal.user.accountId,
        actorUserId: principal.user.id,
        actorCredential: principal.credential.type,
        action: "api_key.revoke",
        targetType: "api_key",
        targetId: id,
        clientAddress: input.clientAddress,
        details: { key_type: "user", by: "block_user", reason: "owner_blocked" },
      });
    await writeAudit(tx, {
      at: now,
      accountId: principal.user.accountId,
      actorUserId: principal.user.id,
      actorCredential: principal.credential.type,
      action: "user.block",
      targetType: "user",
      targetId: userId,
      clientAddress: input.clientAddress,
    });
    return true;
  });
  if (changed) events?.usersChanged([userId]);
}
