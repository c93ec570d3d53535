/**
 * Forgot password: anyone may ask for a reset link for an email address. The answer is the same for
 * every address (202), after the same work (two rate-limit counters); who the address belongs to is
 * looked up afterwards, outside the request, one request at a time, and only an ACTIVE person gets an
 * email — the same link an admin's reset sends (`issue("RESET_LINK")`: 30 minutes, single use, only
 * its SHA-256 stored), completed through `/reset-password/<token>` as that one is.
 */
import { eq } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { sha256Hex } from "../domain/digest";
import { invalid, rateLimited } from "../domain/errors";
import type { Mailer } from "../domain/mailer";
import type { RateLimiter, RateLimitRule } from "../domain/rate-limit";
import { normalizeEmail } from "../auth/sessions";
import { accountName, issue, mail } from "./users";
import { logger } from "../domain/logger";

export interface PasswordResetPolicy {
  /** Requests per client address: over it, 429 with Retry-After. */
  perAddress: RateLimitRule;
  /** Requests per email address: over it the answer is the same 202, and nothing is sent. */
  perEmail: RateLimitRule;
}

export const defaultPasswordResetPolicy: PasswordResetPolicy = {
  perAddress: { limit: 10, windowMs: 15 * 60 * 1000 },
  perEmail: { limit: 3, windowMs: 60 * 60 * 1000 },
};

export interface PasswordResetDeps {
  db: Db;
  clock: Clock;
  limiter: RateLimiter;
  mailer?: Mailer;
  /**
   * What self-service links are built on: `PUBLIC_URL`, else the server's own address — never the
   * request's Host or the origin the dashboard passes on, which are the asker's to choose and would
   * aim the victim's link at the asker (password-reset poisoning).
   */
  linkBase?: string;
  policy: PasswordResetPolicy;
  /** `PASSWORD_SIGN_IN=off` (single sign-on only): links go to account admins only, whose break glass it is. */
  adminsOnly?: boolean;
}

/** Why a person who asked got no email; audited, never answered. */
type NotSent = "no_such_person" | "blocked" | "not_joined" | "password_sign_in_off";

/** Forgot-password requests of this process: answered at once, looked up and mailed one at a time. */
export class PasswordResetRequests {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PasswordResetDeps) {}

  /** Whether this server offers Forgot password: it sends email, and knows where its links point. */
  get available(): boolean {
    return !!this.deps.mailer && !!this.deps.linkBase;
  }

  /**
   * Counts the request and queues the lookup. Throws only for what does not depend on the address
   * asked about: not offered here (400), or too many requests from this client (429).
   */
  async request(input: { email: string; clientAddress: string | null }): Promise<void> {
    if (!this.available)
      throw invalid(
        "Password reset by email is not offered here: this server sends no email (SMTP_URL is not set). Ask an account admin to reset your password.",
      );
    const email = normalizeEmail(input.email);
    const address = input.clientAddress ?? "unknown";
    const { limiter, policy } = this.deps;
    const byAddress = await limiter.hit(`password_reset:client:${address}`, policy.perAddress);
    if (byAddress.count > policy.perAddress.limit) throw rateLimited(byAddress.retryAfterSeconds);
    const byEmail = await limiter.hit(`password_reset:email:${sha256Hex(email)}`, policy.perEmail);
    if (byEmail.count > policy.perEmail.limit) return;
    const job = this.tail.then(() => this.lookUpAndSend(email, input.clientAddress));
    this.tail = job.catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : "" }, "password reset request failed");
    });
  }

  /** Settles when every request queued so far is done (tests, shutdown). */
  settled(): Promise<void> {
    return this.tail;
  }

  private async lookUpAndSend(email: string, clientAddress: string | null): Promise<void> {
    const { db, clock } = this.deps;
    const base = this.deps.linkBase ?? "";
    const now = clock.now();
    const outcome = await db.transaction(async (tx) => {
      const [person] = await tx
        .select({
          id: users.id,
          accountId: users.accountId,
          status: users.status,
          kind: users.kind,
          accountRole: users.accountRole,
        })
        .from(users)
        .where(eq(users.email, email))
        .for("update");
      const notSent: NotSent | null =
        !person || person.kind !== "human"
          ? "no_such_person"
          : person.status === "blocked"
            ? "blocked"
            : person.status !== "active"
              ? "not_joined"
              : this.deps.adminsOnly && person.accountRole !== "admin"
                ? "password_sign_in_off"
                : null;
      let link: string | undefined;
      if (person && !notSent) {
        const { set, secrets } = await issue("RESET_LINK", now, base);
        await tx.update(users).set(set).where(eq(users.id, person.id));
        link = secrets.link;
      }
      await writeAudit(tx, {
        at: now,
        accountId: notSent === "no_such_person" ? null : person?.accountId,
        actorUserId: null,
        actorCredential: "anonymous",
        action: "request_password_reset",
        targetType: "user",
        targetId: notSent === "no_such_person" ? null : person?.id,
        clientAddress,
        details: { variables: { email }, link_issued: !notSent, ...(notSent ? { not_sent: notSent } : {}) },
      });
      return link && person ? { link, accountId: person.accountId } : null;
    });
    if (!outcome) return;
    await mail(
      { db, clock, mailer: this.deps.mailer },
      email,
      "reset",
      outcome.link,
      await accountName(db, outcome.accountId),
    );
  }
}
