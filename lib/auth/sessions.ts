import { and, eq, lte, ne, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import { sessions, users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { DomainError, rateLimited } from "../domain/errors";
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from "./passwords";
import { newSessionToken, sha256Hex } from "../domain/digest";
import type { RateLimiter, RateLimitRule } from "../domain/rate-limit";

export interface SessionPolicy {
  ttlMs: number;
  /** Failed sign-ins allowed per email per window. */
  perEmail: RateLimitRule;
  /** Failed sign-ins allowed per client address per window. */
  perClient: RateLimitRule;
}

export const defaultSessionPolicy: SessionPolicy = {
  ttlMs: 12 * 60 * 60 * 1000,
  perEmail: { limit: 5, windowMs: 15 * 60 * 1000 },
  perClient: { limit: 20, windowMs: 15 * 60 * 1000 },
};

export interface SignInResult {
  token: string;
  expiresAt: Date;
  user: { id: string; name: string; email: string };
  /** Signed in with a temporary password: the session may only change it (POST /v2/me/password). */
  passwordChangeRequired: boolean;
}

const badCredentials = () => new DomainError("unauthenticated", "Invalid email or password.");

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks an email and password and opens a session. A wrong password, an unknown email and a blocked
 * user all get the same answer after the same work. Failures are counted per email and per client.
 */
export async function signIn(
  deps: { db: Db; clock: Clock; limiter: RateLimiter; policy: SessionPolicy },
  input: { email: string; password: string; clientAddress: string | null },
): Promise<SignInResult> {
  const { db, clock, limiter, policy } = deps;
  const email = normalizeEmail(input.email);
  const emailKey = `signin:email:${sha256Hex(email)}`;
  const clientKey = `signin:client:${input.clientAddress ?? "unknown"}`;

  for (const [key, rule] of [
    [emailKey, policy.perEmail],
    [clientKey, policy.perClient],
  ] as const) {
    const state = await limiter.peek(key, rule);
    if (state.count >= rule.limit) throw rateLimited(state.retryAfterSeconds);
  }

  // PostgreSQL text cannot hold NUL: such an email names nobody, and must not reach the query.
  const [user] = email.includes("\u0000")
    ? []
    : await db
        .select({
          id: users.id,
          accountId: users.accountId,
          name: users.name,
          email: users.email,
          passwordHash: users.passwordHash,
          status: users.status,
          kind: users.kind,
          passwordChangeRequired: users.passwordChangeRequired,
        })
        .from(users)
        .where(eq(users.email, email));

  const ok =
    user?.passwordHash && user.kind === "human"
      ? await verifyPassword(input.password, user.passwordHash)
      : (await burnPasswordCheck(input.password), false);

  // An invited person signs in only with the temporary password they were given (and must change it).
  const mayEnter = user?.status === "active" || (user?.status === "invited" && user.passwordChangeRequired);
  if (!user || !ok || !mayEnter || !user.email) {
    await limiter.hit(emailKey, policy.perEmail);
    await limiter.hit(clientKey, policy.perClient);
    await writeAudit(db, {
      at: clock.now(),
      accountId: user?.accountId,
      actorUserId: user?.id,
      actorCredential: "anonymous",
      action: "session.sign_in_failed",
      targetType: "session",
      clientAddress: input.clientAddress,
    });
    throw badCredentials();
  }

  const now = clock.now();
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + policy.ttlMs);
  const sessionId = randomUUID();
  await db.transaction(async (tx) => {
    // Sweep this user's expired sessions while we are here.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lte(sessions.expiresAt, now)));
    await tx
      .insert(sessions)
      .values({ id: sessionId, userId: user.id, tokenDigest: sha256Hex(token), createdAt: now, expiresAt });
    await writeAudit(tx, {
      at: now,
      accountId: user.accountId,
      actorUserId: user.id,
      actorCredential: "session",
      action: "session.create",
      targetType: "session",
      targetId: sessionId,
      clientAddress: input.clientAddress,
    });
  });
  await limiter.reset(emailKey);
  return {
    token,
    expiresAt,
    user: { id: user.id, name: user.name, email: user.email },
    passwordChangeRequired: user.passwordChangeRequired,
  };
}

/** Opens a session for a user who just proved who they are another way (setup, an invitation link). */
export async function openSession(
  tx: DbOrTx,
  clock: Clock,
  policy: SessionPolicy,
  user: { id: string; accountId: string },
  clientAddress: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const now = clock.now();
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + policy.ttlMs);
  const sessionId = randomUUID();
  await tx
    .insert(sessions)
    .values({ id: sessionId, userId: user.id, tokenDigest: sha256Hex(token), createdAt: now, expiresAt });
  await writeAudit(tx, {
    at: now,
    accountId: user.accountId,
    actorUserId: user.id,
    actorCredential: "session",
    action: "session.create",
    targetType: "session",
    targetId: sessionId,
    clientAddress,
  });
  return { token, expiresAt };
}

/** The session's user id if the token names a live session of an active user. */
export async function resolveSession(
  db: Db,
  clock: Clock,
  token: string,
): Promise<{ sessionId: string; userId: string; passwordChangeRequired: boolean } | null> {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      expiresAt: sessions.expiresAt,
      passwordChangeRequired: users.passwordChangeRequired,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenDigest, sha256Hex(token)));
  if (!row) return null;
  // Expiry is exclusive: valid iff now < expires_at.
  if (clock.now().getTime() >= row.expiresAt.getTime()) return null;
  return { sessionId: row.sessionId, userId: row.userId, passwordChangeRequired: row.passwordChangeRequired };
}

export async function signOut(
  deps: { db: Db; clock: Clock },
  input: { sessionId: string; userId: string; accountId: string; clientAddress: string | null },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(sessions)
      .where(eq(sessions.id, input.sessionId))
      .returning({ id: sessions.id });
    if (deleted.length === 0) return;
    await writeAudit(tx, {
      at: deps.clock.now(),
      accountId: input.accountId,
      actorUserId: input.userId,
      actorCredential: "session",
      action: "session.delete",
      targetType: "session",
      targetId: input.sessionId,
      clientAddress: input.clientAddress,
    });
  });
}

/**
 * Changes one's own password (the only call a temporary-password session may make): checks the
 * current one, clears the "change required" mark (an invited person becomes ACTIVE) and ends the
 * person's other sessions.
 */
export async function changeOwnPassword(
  deps: { db: Db; clock: Clock },
  input: {
    userId: string;
    accountId: string;
    sessionId?: string;
    credentialType: "session" | "user_key" | "service_key";
    currentPassword: string;
    newPassword: string;
    clientAddress: string | null;
  },
): Promise<void> {
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new DomainError("invalid", problem, { field: "new_password" });
  const [user] = await deps.db
    .select({ passwordHash: users.passwordHash, kind: users.kind })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user || user.kind !== "human" || !user.passwordHash)
    throw new DomainError("forbidden", "Only people with a password can change it.");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new DomainError("invalid", "The current password is not right.", { field: "current_password" });
  if (input.newPassword === input.currentPassword)
    throw new DomainError("invalid", "Choose a password different from the current one.", {
      field: "new_password",
    });
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        passwordHash,
        passwordChangeRequired: false,
        status: sql`case when ${users.status} = 'invited' then 'active'::user_status else ${users.status} end`,
      })
      .where(eq(users.id, input.userId));
    await tx
      .delete(sessions)
      .where(
        input.sessionId
          ? and(eq(sessions.userId, input.userId), ne(sessions.id, input.sessionId))
          : eq(sessions.userId, input.userId),
      );
    await writeAudit(tx, {
      at: deps.clock.now(),
      accountId: input.accountId,
      actorUserId: input.userId,
      actorCredential: input.credentialType,
      action: "change_password",
      targetType: "user",
      targetId: input.userId,
      clientAddress: input.clientAddress,
      details: { variables: {} },
    });
  });
}
