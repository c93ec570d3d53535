/** The invite-link side of invitations: what `/invite/<token>` shows, and joining through it. */
import { and, eq } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { accounts, sessions, users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { sha256Hex } from "../domain/digest";
import { invalid, notFound } from "../domain/errors";
import { hashPassword, passwordProblem } from "../auth/passwords";
import { openSession, type SessionPolicy } from "../auth/sessions";

export interface InvitationView {
  purpose: "invite" | "reset";
  accountName: string;
  name: string;
  email: string;
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const gone = () => notFound("This link is not valid: it was used, replaced by a newer one, or it expired.");

async function findByToken(db: Db, clock: Clock, token: string) {
  if (!TOKEN.test(token)) throw gone();
  const [row] = await db
    .select({
      id: users.id,
      accountId: users.accountId,
      name: users.name,
      email: users.email,
      status: users.status,
      purpose: users.inviteTokenPurpose,
      expiresAt: users.inviteExpiresAt,
      accountName: accounts.name,
    })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(and(eq(users.inviteTokenDigest, sha256Hex(token)), eq(users.kind, "human")));
  // Expiry is exclusive: valid iff now < expires_at.
  if (!row || row.status === "blocked" || !row.expiresAt || clock.now().getTime() >= row.expiresAt.getTime())
    throw gone();
  const purpose: InvitationView["purpose"] | null =
    row.purpose === "invite" ? "invite" : row.purpose === "reset" ? "reset" : null;
  if (!purpose) throw gone();
  return { ...row, purpose };
}

export async function describeInvitation(db: Db, clock: Clock, token: string): Promise<InvitationView> {
  const row = await findByToken(db, clock, token);
  return { purpose: row.purpose, accountName: row.accountName, name: row.name, email: row.email ?? "" };
}

/**
 * Joins (an invitation: sets the name and password, ACTIVE from now) or sets a new password (a reset
 * link), spends the token and opens a session. Other sessions of the person end.
 */
export async function acceptInvitation(
  deps: { db: Db; clock: Clock; sessions: SessionPolicy },
  input: { token: string; name?: string; password: string; clientAddress: string | null },
): Promise<{ token: string; expiresAt: Date; user: { id: string; name: string; email: string } }> {
  const problem = passwordProblem(input.password);
  if (problem) throw invalid(problem, "password");
  const found = await findByToken(deps.db, deps.clock, input.token);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    // Spend the token only if it is still the one we checked (a concurrent accept or resend wins).
    const [row] = await tx
      .update(users)
      .set({
        passwordHash,
        passwordChangeRequired: false,
        status: "active",
        inviteTokenDigest: null,
        inviteTokenPurpose: null,
        inviteExpiresAt: null,
        ...(found.purpose === "invite" && input.name ? { name: input.name } : {}),
      })
      .where(and(eq(users.id, found.id), eq(users.inviteTokenDigest, sha256Hex(input.token))))
      .returning({ id: users.id, name: users.name, email: users.email, accountId: users.accountId });
    if (!row) throw gone();
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    const now = deps.clock.now();
    await writeAudit(tx, {
      at: now,
      accountId: row.accountId,
      actorUserId: row.id,
      actorCredential: "anonymous",
      action: found.purpose === "invite" ? "accept_invitation" : "reset_password_by_link",
      targetType: "user",
      targetId: row.id,
      clientAddress: input.clientAddress,
      details: { variables: found.purpose === "invite" && input.name ? { name: input.name } : {} },
    });
    const session = await openSession(tx, deps.clock, deps.sessions, row, input.clientAddress);
    return { ...session, user: { id: row.id, name: row.name, email: row.email ?? "" } };
  });
}
