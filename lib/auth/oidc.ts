/**
 * Single sign-on's rules (docs/single-sign-on.md): who a verified identity from the provider is in
 * Keydesk, and the session it gets — the same session a password sign-in opens.
 *
 * - Only a verified email (`email_verified` true) is matched, to a human user of that email.
 * - The provider's `sub` is pinned at the first sign-in and must match afterwards: an email the
 *   provider re-assigns to someone else cannot take over the account.
 * - Blocked people are refused; a person invited with `invite_mode` NONE becomes active; other
 *   invitations are finished as they were sent (link or temporary password).
 * - An unknown email is refused, or with `OIDC_AUTO_PROVISION=member` becomes an account member.
 * - `OIDC_ALLOWED_DOMAINS` limits who may sign in this way at all.
 */
import { and, eq, lte, ne } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { accounts, sessions, users } from "../db/schema";
import { writeAudit } from "../domain/audit";
import type { OidcIdentity } from "./oidc-client";
import type { OidcConfig } from "./oidc-config";
import { normalizeEmail, openSession, type SessionPolicy } from "./sessions";

/** Why a verified sign-in at the provider does not open a Keydesk session. */
type OidcRefusal =
  | "email_unverified"
  | "domain_not_allowed"
  | "no_account"
  | "blocked"
  | "invitation_pending"
  | "subject_mismatch";

export type OidcSignInResult =
  | {
      ok: true;
      token: string;
      expiresAt: Date;
      user: { id: string; name: string; email: string };
    }
  | { ok: false; refusal: OidcRefusal; email: string | null };

export interface OidcSignInDeps {
  db: Db;
  clock: Clock;
  policy: SessionPolicy;
  config: Pick<OidcConfig, "autoProvision" | "allowedDomains">;
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

/** A name for a provisioned person: the provider's, else the email's local part. */
function provisionedName(identity: OidcIdentity, email: string): string {
  const name = identity.name
    ?.trim()
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .slice(0, 200);
  return name || email.slice(0, email.lastIndexOf("@"));
}

/** Opens a session for the person a verified provider identity names, or says why not. */
export async function signInWithOidc(
  deps: OidcSignInDeps,
  input: { identity: OidcIdentity; clientAddress: string | null },
): Promise<OidcSignInResult> {
  const { db, clock, policy, config } = deps;
  const { identity } = input;
  const email = identity.email ? normalizeEmail(identity.email) : null;
  const refuse = (refusal: OidcRefusal): OidcSignInResult => ({ ok: false, refusal, email });
  if (!email || !identity.emailVerified || !/^[^@\s]+@[^@\s]+$/.test(email) || /[\u0000\p{Cs}]/u.test(email))
    return refuse("email_unverified");
  if (config.allowedDomains && !config.allowedDomains.includes(domainOf(email)))
    return refuse("domain_not_allowed");

  return db.transaction(async (tx) => {
    const now = clock.now();
    const [person] = await tx
      .select({
        id: users.id,
        accountId: users.accountId,
        name: users.name,
        kind: users.kind,
        status: users.status,
        inviteMode: users.inviteMode,
        oidcSubject: users.oidcSubject,
      })
      .from(users)
      .where(eq(users.email, email))
      .for("update");
    // This identity already signs someone else in (their email changed at the provider since).
    const [holder] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.oidcSubject, identity.sub), person ? ne(users.id, person.id) : undefined));
    if (holder) return refuse("subject_mismatch");

    let user: { id: string; accountId: string; name: string };
    if (!person || person.kind !== "human") {
      if (person || config.autoProvision !== "member") return refuse("no_account");
      // Provisioning needs the one account this server holds.
      const held = await tx.select({ id: accounts.id }).from(accounts).limit(2);
      const account = held.length === 1 ? held[0] : undefined;
      if (!account) return refuse("no_account");
      user = { id: randomUUID(), accountId: account.id, name: provisionedName(identity, email) };
      await tx.insert(users).values({
        id: user.id,
        accountId: user.accountId,
        kind: "human",
        name: user.name,
        email,
        accountRole: "member",
        status: "active",
        oidcSubject: identity.sub,
        createdAt: now,
      });
      await writeAudit(tx, {
        at: now,
        accountId: user.accountId,
        actorUserId: null,
        actorCredential: "system",
        action: "create_user",
        targetType: "user",
        targetId: user.id,
        clientAddress: input.clientAddress,
        details: { method: "oidc", variables: { email, role: "member" } },
      });
    } else {
      if (person.oidcSubject !== null && person.oidcSubject !== identity.sub)
        return refuse("subject_mismatch");
      if (person.status === "blocked") return refuse("blocked");
      if (person.status === "invited" && person.inviteMode !== "NONE") return refuse("invitation_pending");
      user = person;
      if (person.status === "invited" || person.oidcSubject === null) {
        await tx
          .update(users)
          .set({
            oidcSubject: identity.sub,
            ...(person.status === "invited"
              ? { status: "active" as const, passwordChangeRequired: false }
              : {}),
          })
          .where(eq(users.id, person.id));
      }
      if (person.status === "invited")
        await writeAudit(tx, {
          at: now,
          accountId: person.accountId,
          actorUserId: person.id,
          actorCredential: "anonymous",
          action: "accept_invitation",
          targetType: "user",
          targetId: person.id,
          clientAddress: input.clientAddress,
          details: { method: "oidc", variables: {} },
        });
    }

    // Sweep this user's expired sessions while we are here (as a password sign-in does).
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lte(sessions.expiresAt, now)));
    const session = await openSession(tx, clock, policy, user, input.clientAddress, {
      action: "session.sign_in",
      details: { method: "oidc", variables: { email } },
    });
    return { ok: true, ...session, user: { id: user.id, name: user.name, email } };
  });
}
