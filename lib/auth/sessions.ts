import { and, eq, lte, ne, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import { sessions, users, type AuditDetails } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { DomainError } from "../domain/errors";
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from "./passwords";
import { newSessionToken, sha256Hex } from "../domain/digest";
import { FailureBackoff, reserveAttempt, type BackoffRule } from "../domain/rate-limit";

/**
 * Sign-in throttling after OWASP's guidance: failures are counted per account *and* client address,
 * and per client address, and answered with growing delays, never a lockout. An attacker failing
 * against an email from their own address slows only themselves: the owner, from another address,
 * still signs in. Unknown emails are counted exactly like known ones.
 */
export interface SessionPolicy {
  ttlMs: number;
  /** Failed sign-ins of one email from one client address. */
  perAccountAndClient: BackoffRule;
  /** Failed sign-ins from one client address, whatever the email (password spraying). */
  perClient: BackoffRule;
  /**
   * Wrong current passwords given to POST /v2/me/password, per person (whatever the credential or
   * address: a stolen session or key must not let its holder guess the password, then change it).
   */
  passwordChangePerUser: BackoffRule;
}

const minute = 60 * 1000;

export const defaultSessionPolicy: SessionPolicy = {
  ttlMs: 12 * 60 * minute,
  perAccountAndClient: {
    freeFailures: 5,
    baseDelayMs: 1_000,
    maxDelayMs: 15 * minute,
    forgetAfterMs: 15 * minute,
  },
  perClient: { freeFailures: 20, baseDelayMs: 1_000, maxDelayMs: 15 * minute, forgetAfterMs: 15 * minute },
  passwordChangePerUser: {
    freeFailures: 5,
    baseDelayMs: 1_000,
    maxDelayMs: 15 * minute,
    forgetAfterMs: 15 * minute,
  },
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
 * user all get the same answer after the same work. Failures are counted per email and client
 * address, and per client address (see SessionPolicy); a throttled attempt is refused before the
 * password is checked, with the same answer whether or not the email exists.
 */
export async function signIn(
  deps: { db: Db; clock: Clock; policy: SessionPolicy },
  input: {
    email: string;
    password: string;
    clientAddress: string | null;
    /** `PASSWORD_SIGN_IN=off`: a right password opens a session for account admins only (break glass). */
    adminsOnly?: boolean;
  },
): Promise<SignInResult> {
  const { db, clock, policy } = deps;
  const backoff = new FailureBackoff(db, clock);
  const email = normalizeEmail(input.email);
  const address = input.clientAddress ?? "unknown";
  const pairKey = `signin:account-client:${sha256Hex(`${email}\n${address}`)}`;
  const clientKey = `signin:client:${address}`;

  // Counted as failures before the slow check (see FailureBackoff.reserve): attempts sent at once meet
  // the same limit as attempts one after another. The price: attempts in flight count until they
  // succeed, so more than `perClient.freeFailures` + 1 sign-ins at the same instant from one address
  // find it waiting, correct ones too.
  const [, clientAttempt] = await reserveAttempt(backoff, [
    [pairKey, policy.perAccountAndClient],
    [clientKey, policy.perClient],
  ]);

  // The email is plain text (its schema, textInput, refuses NUL and lone surrogates with a 400).
  const [user] = await db
    .select({
      id: users.id,
      accountId: users.accountId,
      name: users.name,
      email: users.email,
      passwordHash: users.passwordHash,
      status: users.status,
      kind: users.kind,
      passwordChangeRequired: users.passwordChangeRequired,
      accountRole: users.accountRole,
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
    // The attempts counted above stand as failures.
    // Nobody proved who they are: the actor is unknown, the person tried (if any) is the target.
    await writeAudit(db, {
      at: clock.now(),
      accountId: user?.accountId,
      actorUserId: null,
      actorCredential: "anonymous",
      action: "session.sign_in_failed",
      targetType: "user",
      targetId: user?.id,
      clientAddress: input.clientAddress,
      details: { variables: { email } },
    });
    throw badCredentials();
  }

  // The pair starts afresh; the address gets back the attempt it lent and keeps the rest of its count
  // (one good account must not launder a spray).
  await backoff.reset(pairKey);
  if (clientAttempt) await backoff.release(clientAttempt);
  // Checked after the password, so a wrong one gets the same answer for admins and members alike.
  if (input.adminsOnly && user.accountRole !== "admin")
    throw new DomainError("forbidden", "Password sign-in is off: sign in with single sign-on.");

  const { token, expiresAt } = await db.transaction(async (tx) => {
    // Sweep this user's expired sessions while we are here.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lte(sessions.expiresAt, clock.now())));
    return openSession(tx, clock, policy, user, input.clientAddress);
  });
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
  /** The audit row's action and details, when not a plain `session.create` (single sign-on's `session.sign_in`). */
  audit: { action: string; details?: AuditDetails } = { action: "session.create" },
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
    action: audit.action,
    targetType: "session",
    targetId: sessionId,
    clientAddress,
    ...(audit.details ? { details: audit.details } : {}),
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
 * Changes one's own password (the only call a temporary-password session may make, besides signing
 * out): checks the current one (wrong ones are slowed like failed sign-ins, per person), clears the
 * "change required" mark (an invited person becomes ACTIVE) and ends the person's other sessions.
 */
export async function changeOwnPassword(
  deps: { db: Db; clock: Clock; policy: SessionPolicy },
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
  // Counted as a wrong guess before the check, like a sign-in (see FailureBackoff.reserve).
  const backoff = new FailureBackoff(deps.db, deps.clock);
  const guessKey = `password-change:user:${input.userId}`;
  await reserveAttempt(backoff, [[guessKey, deps.policy.passwordChangePerUser]]);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new DomainError("invalid", "The current password is not right.", { field: "current_password" });
  await backoff.reset(guessKey);
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
