import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, ilike, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { preparedPerDatabase } from "../db/prepared";
import { accounts, sessions, users } from "../db/schema";
import { conflict, forbidden, invalid, notFound } from "../domain/errors";
import { afterCursor, cursorValues, decodeCursor, toPage, type Page } from "../domain/pagination";
import { sha256Hex } from "../domain/digest";
import { generateTemporaryPassword, hashPassword } from "../auth/passwords";
import { normalizeEmail } from "../auth/sessions";
import type { AccountRole } from "../roles/names";
import { mayDo, REFUSAL } from "../roles/roles";
import { auditedRow, auditOperation, isUniqueViolation, type Actor, type DirectoryDeps } from "./context";
import { currentCaller } from "./caller";
import { logger } from "../domain/logger";

export type InviteMode = "NONE" | "EMAIL_LINK" | "TEMPORARY_PASSWORD";
/** `expired`: invited with a link that is no longer valid. */
export type UserStatus = "active" | "invited" | "expired" | "blocked";

/** A person of the account as the directory shows them. Bots are never users here. */
export interface UserView {
  id: string;
  name: string;
  email: string;
  createdAt: Date;
  status: UserStatus;
  accountRole: AccountRole;
  isDeveloper: boolean;
}

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const RESET_TTL_MS = 30 * 60 * 1000;

/** What the people's list reads of each person. */
const listedUserColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  createdAt: users.createdAt,
  status: users.status,
  accountRole: users.accountRole,
  isDeveloper: users.isDeveloper,
  inviteExpiresAt: users.inviteExpiresAt,
};

const userColumns = {
  ...listedUserColumns,
  inviteMode: users.inviteMode,
  passwordHash: users.passwordHash,
  passwordChangeRequired: users.passwordChangeRequired,
};
type UserRow = {
  id: string;
  name: string;
  email: string | null;
  createdAt: Date;
  status: "active" | "blocked" | "invited";
  accountRole: AccountRole;
  isDeveloper: boolean;
  inviteMode: string | null;
  inviteExpiresAt: Date | null;
  passwordHash: string | null;
  passwordChangeRequired: boolean;
};

export function statusOf(row: Pick<UserRow, "status" | "inviteExpiresAt">, now: Date): UserStatus {
  if (row.status !== "invited") return row.status;
  return row.inviteExpiresAt && row.inviteExpiresAt.getTime() <= now.getTime() ? "expired" : "invited";
}

type ViewRow = Pick<
  UserRow,
  "id" | "name" | "email" | "createdAt" | "status" | "accountRole" | "isDeveloper" | "inviteExpiresAt"
>;

const view = (row: ViewRow, now: Date): UserView => ({
  id: row.id,
  name: row.name,
  email: row.email ?? "",
  createdAt: row.createdAt,
  status: statusOf(row, now),
  accountRole: row.accountRole,
  isDeveloper: row.isDeveloper,
});

function assertMayManageUsers(actor: Actor): void {
  const p = actor.principal;
  if (!mayDo("manage_users", { accountRole: p.user.accountRole, organizationRole: null, spaceRole: null }))
    throw forbidden(REFUSAL.manage_users);
}

/**
 * A person of the account, or 404 "No user with that id." — the one answer every operation that takes
 * a person's id gives for a missing id, another account's user and a service key's bot alike (bots
 * are not people: directory.md).
 */
export async function loadPerson(
  tx: DbOrTx,
  accountId: string,
  userId: string | null,
  lock = false,
): Promise<UserRow & { kind: "human" | "bot" }> {
  if (!userId) throw notFound("No user with that id.");
  const query = tx
    .select({ ...userColumns, kind: users.kind })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.accountId, accountId), eq(users.kind, "human")));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("No user with that id.");
  return row;
}

const loadUser = (tx: DbOrTx, actor: Actor, userId: string | null, lock = false) =>
  loadPerson(tx, actor.principal.user.accountId, userId, lock);

/** One prepared statement per shape of `listUsers`'s query. */
interface UsersShape {
  /**
   * The status filter is stored statuses (a parameter) plus, when only one of invited/expired is
   * wanted, that half of the `invited` rows, split by the clock (exact at request time: `now` is a
   * parameter too). With both or neither, `invited` is a stored status like the others.
   */
  invitations: "stored" | "invited" | "expired";
  email: boolean;
  /** [ext] `search`: the name or the email. */
  search: boolean;
  cursor: boolean;
}

const usersQuery = preparedPerDatabase(
  "keydesk_list_users",
  (shape: UsersShape) =>
    `${shape.invitations}${shape.email ? "_email" : ""}${shape.search ? "_search" : ""}${shape.cursor ? "_cursor" : ""}`,
  (db: Db, shape: UsersShape, name: string) => {
    const p = sql.placeholder;
    // Through text[]: PGlite serializes an array parameter by its type, and knows no enum arrays.
    const stored = sql`${users.status} = any(${p("statuses")}::text[]::user_status[])`;
    const split =
      shape.invitations === "invited"
        ? sql` or (${users.status} = 'invited' and (${users.inviteExpiresAt} is null or ${users.inviteExpiresAt} > ${p("now")}::timestamptz))`
        : shape.invitations === "expired"
          ? sql` or (${users.status} = 'invited' and ${users.inviteExpiresAt} <= ${p("now")}::timestamptz)`
          : sql``;
    // Served by users_list_idx (account_id, created_at, id) where kind = 'human': the cursor is a row
    // comparison, so it is part of the index condition, and the order is the index's.
    const where: SQL[] = [
      eq(users.accountId, p("accountId")),
      eq(users.kind, "human"),
      sql`(${stored}${split})`,
    ];
    if (shape.email) where.push(ilike(users.email, sql`${p("email")}`));
    // A filter on the same index scan, as the email's: no index serves a substring (see docs/people.md).
    if (shape.search)
      where.push(sql`(${users.name} ilike ${p("search")} or ${users.email} ilike ${p("search")})`);
    if (shape.cursor) where.push(afterCursor(users.createdAt, users.id));
    return db
      .select(listedUserColumns)
      .from(users)
      .where(and(...where))
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(p("limit"))
      .prepare(name);
  },
);

/** `%text%` for ILIKE, with its own wildcards and the escape character taken literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** People of the caller's account, oldest first. Blocked ones only when asked for. */
export async function listUsers(
  deps: DirectoryDeps,
  input: Actor & {
    email?: string;
    /** [ext] A substring of the name or the email, any case. */
    search?: string;
    statuses?: UserStatus[];
    includeBlocked: boolean;
    limit: number;
    cursor?: string;
  },
): Promise<Page<UserView>> {
  const now = deps.clock.now();
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const all: UserStatus[] = ["active", "invited", "expired", "blocked"];
  const wanted = new Set(
    (input.statuses?.length ? input.statuses : all).filter((s) => s !== "blocked" || input.includeBlocked),
  );
  if (wanted.size === 0) return { items: [] };
  // Storable text only (lib/schemas textInput): the schema refused NUL and lone surrogates.
  const email = input.email?.trim().toLowerCase();
  const search = input.search?.trim();
  const statuses: UserRow["status"][] = [];
  if (wanted.has("active")) statuses.push("active");
  if (wanted.has("blocked")) statuses.push("blocked");
  const invitations: UsersShape["invitations"] =
    wanted.has("invited") === wanted.has("expired")
      ? "stored"
      : wanted.has("invited")
        ? "invited"
        : "expired";
  if (invitations === "stored" && wanted.has("invited")) statuses.push("invited");
  const values: Record<string, unknown> = {
    accountId: input.principal.user.accountId,
    statuses,
    limit: input.limit + 1,
    ...cursorValues(cursor),
  };
  if (invitations !== "stored") values.now = now.toISOString();
  if (email) values.email = likePattern(email);
  if (search) values.search = likePattern(search);
  const rows = await usersQuery(deps.db, {
    invitations,
    email: !!email,
    search: !!search,
    cursor: !!cursor,
  }).execute(values);
  const page = toPage(rows, input.limit, (r) => r);
  return { ...page, items: page.items.map((r) => view(r, now)) };
}

export async function getUser(
  deps: DirectoryDeps,
  input: Actor & { userId: string | null },
): Promise<UserView> {
  return view(await loadUser(deps.db, input, input.userId), deps.clock.now());
}

export interface InvitationSecrets {
  temporaryPassword?: string;
  /** The absolute one-time link (`<base>/invite/<token>` or `<base>/reset-password/<token>`). */
  link?: string;
}

function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What an invitation or reset of `mode` writes on the user row, and the secret it hands out once. */
export async function issue(
  mode: InviteMode | "RESET_LINK",
  now: Date,
  baseUrl: string,
): Promise<{ set: Partial<typeof users.$inferInsert>; secrets: InvitationSecrets }> {
  if (mode === "TEMPORARY_PASSWORD") {
    const temporaryPassword = generateTemporaryPassword();
    return {
      set: {
        passwordHash: await hashPassword(temporaryPassword),
        passwordChangeRequired: true,
        inviteTokenDigest: null,
        inviteTokenPurpose: null,
        inviteExpiresAt: null,
      },
      secrets: { temporaryPassword },
    };
  }
  if (mode === "EMAIL_LINK" || mode === "RESET_LINK") {
    const token = newLinkToken();
    const invite = mode === "EMAIL_LINK";
    return {
      set: {
        inviteTokenDigest: sha256Hex(token),
        inviteTokenPurpose: invite ? "invite" : "reset",
        inviteExpiresAt: new Date(now.getTime() + (invite ? INVITATION_TTL_MS : RESET_TTL_MS)),
        ...(invite ? { passwordHash: null, passwordChangeRequired: false } : {}),
      },
      secrets: { link: `${baseUrl.replace(/\/+$/, "")}/${invite ? "invite" : "reset-password"}/${token}` },
    };
  }
  return { set: {}, secrets: {} };
}

export async function accountName(tx: DbOrTx, accountId: string): Promise<string> {
  const [row] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
  return row?.name ?? "Keydesk";
}

/** Sends the link when a mailer is configured; a failed send is logged, never fatal (as 1.28 says). */
export async function mail(
  deps: DirectoryDeps,
  to: string,
  purpose: "invite" | "reset",
  link: string | undefined,
  account: string,
): Promise<boolean> {
  if (!deps.mailer || !link) return false;
  try {
    await deps.mailer.send(
      purpose === "invite"
        ? {
            to,
            subject: `Join ${account} on Keydesk`,
            text: `You have been invited to ${account} on Keydesk.\n\nJoin here (the link works once, for 7 days):\n${link}\n`,
          }
        : {
            to,
            subject: `Reset your Keydesk password`,
            text: `Choose a new password for ${account} on Keydesk (the link works once, for 30 minutes):\n${link}\n`,
          },
    );
    return true;
  } catch (err) {
    // The mail server's message only (never the mail, which holds the link's token).
    logger.error({ err: err instanceof Error ? err.message : "" }, "email not sent");
    return false;
  }
}

export interface CreateUserInput extends Actor {
  name: string;
  email: string;
  accountRole: AccountRole;
  inviteMode: InviteMode;
  isDeveloper?: boolean;
  /** Where invitation links point: PUBLIC_URL, else the request's origin. */
  baseUrl: string;
  variables: unknown;
}

const CREATE_USER = { operation: "create_user", targetType: "user" } as const;

/**
 * Creates a person, idempotent on email as 1.28's table says: an INVITED one is returned as-is
 * (`created: false`, 200), an EXPIRED one is invited afresh, an ACTIVE or blocked one is a 409.
 */
export async function createUser(
  deps: DirectoryDeps,
  input: CreateUserInput,
): Promise<{ created: boolean; user: UserView; secrets: InvitationSecrets; inviteMode: InviteMode }> {
  assertMayManageUsers(input);
  const email = normalizeEmail(input.email);
  const now = deps.clock.now();
  const { set, secrets } = await issue(input.inviteMode, now, input.baseUrl);
  const accountId = input.principal.user.accountId;
  let result: { created: boolean; user: UserView };
  try {
    result = await deps.db.transaction(async (tx) => {
      assertMayManageUsers({ ...input, principal: await currentCaller(tx, input.principal) });
      const [existing] = await tx
        .select({ ...userColumns, accountId: users.accountId, kind: users.kind })
        .from(users)
        .where(eq(users.email, email))
        .for("update");
      if (existing) {
        const status = statusOf(existing, now);
        if (existing.accountId !== accountId || existing.kind !== "human" || status === "active")
          throw conflict(`${email} already belongs to a member of this account.`);
        if (status === "blocked")
          throw conflict(
            `${email} belongs to a blocked person, who cannot be invited again: unblock them instead ` +
              "(Unblock in their row on the Members page, or POST /v2/users/{id}/unblock).",
          );
        if (status === "invited" && input.inviteMode !== "NONE")
          return { created: false, user: view(existing, now) };
        if (input.inviteMode === "NONE") throw conflict(`${email} has already been invited.`);
        // EXPIRED: a new invitation for the same person.
        const [row] = await tx
          .update(users)
          .set({
            ...set,
            name: input.name,
            accountRole: input.accountRole,
            inviteMode: input.inviteMode,
            isDeveloper: input.isDeveloper ?? true,
          })
          .where(eq(users.id, existing.id))
          .returning(userColumns);
        return { created: true, user: view(await auditedRow(tx, input, now, row, CREATE_USER), now) };
      }
      const id = randomUUID();
      const [row] = await tx
        .insert(users)
        .values({
          id,
          accountId,
          kind: "human",
          name: input.name,
          email,
          accountRole: input.accountRole,
          status: input.inviteMode === "NONE" ? "active" : "invited",
          isDeveloper: input.isDeveloper ?? true,
          inviteMode: input.inviteMode,
          createdAt: now,
          ...set,
        })
        .returning(userColumns);
      return { created: true, user: view(await auditedRow(tx, input, now, row, CREATE_USER), now) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`${email} already belongs to a user.`);
    throw err;
  }
  if (!result.created) return { ...result, secrets: {}, inviteMode: input.inviteMode };
  if (input.inviteMode === "EMAIL_LINK")
    await mail(deps, email, "invite", secrets.link, await accountName(deps.db, accountId));
  return { ...result, secrets, inviteMode: input.inviteMode };
}

/**
 * The last account admin who can sign in can be neither blocked nor demoted. Only active people with
 * a password count (a temporary one too: it is changed at the next sign-in): someone invited with
 * invite mode NONE is active but has no password, and this server has no SSO they could use, so an
 * account whose other admins are all like that would be left without an admin. Bots never count.
 */
export async function assertNotLastAdmin(tx: DbOrTx, accountId: string, userId: string): Promise<void> {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.accountId, accountId),
        eq(users.kind, "human"),
        eq(users.status, "active"),
        eq(users.accountRole, "admin"),
        isNotNull(users.passwordHash),
      ),
    )
    .orderBy(asc(users.id))
    .for("update");
  if (admins.length <= 1 && admins.some((a) => a.id === userId))
    throw conflict(
      "This is the last account admin who can sign in; make someone who can sign in an admin first " +
        "(people invited with invite mode NONE have no password until theirs is reset).",
    );
}

export async function updateUser(
  deps: DirectoryDeps,
  input: Actor & {
    userId: string | null;
    name?: string;
    isDeveloper?: boolean;
    accountRole?: AccountRole;
    variables: unknown;
  },
): Promise<UserView> {
  assertMayManageUsers(input);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    assertMayManageUsers({ ...input, principal: await currentCaller(tx, input.principal, input.userId) });
    const target = await loadUser(tx, input, input.userId, true);
    if (target.status === "blocked") throw conflict("This user is blocked.");
    if (input.accountRole === "member" && target.accountRole === "admin")
      await assertNotLastAdmin(tx, input.principal.user.accountId, target.id);
    const [row] = await tx
      .update(users)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.isDeveloper !== undefined ? { isDeveloper: input.isDeveloper } : {}),
        ...(input.accountRole !== undefined ? { accountRole: input.accountRole } : {}),
      })
      .where(eq(users.id, target.id))
      .returning(userColumns);
    return auditedRow(tx, input, now, row, { operation: "update_user", targetType: "user" });
  });
  if (input.accountRole !== undefined) deps.events?.usersChanged([row.id]);
  return view(row, now);
}

/** A new link (the old one stops working) or a new temporary password, for INVITED or EXPIRED people. */
export async function resendInvitation(
  deps: DirectoryDeps,
  input: Actor & { userId: string | null; baseUrl: string },
): Promise<{ inviteMode: InviteMode; secrets: InvitationSecrets; emailed: boolean }> {
  assertMayManageUsers(input);
  const now = deps.clock.now();
  const { target, mode, secrets } = await deps.db.transaction(async (tx) => {
    assertMayManageUsers({ ...input, principal: await currentCaller(tx, input.principal, input.userId) });
    const target = await loadUser(tx, input, input.userId, true);
    const status = statusOf(target, now);
    if (status === "blocked") throw conflict("This user is blocked and cannot be re-invited.");
    if (status === "active") throw invalid("This user has already joined; there is no invitation to resend.");
    const mode: InviteMode = target.inviteMode === "TEMPORARY_PASSWORD" ? "TEMPORARY_PASSWORD" : "EMAIL_LINK";
    const { set, secrets } = await issue(mode, now, input.baseUrl);
    await tx.update(users).set(set).where(eq(users.id, target.id));
    await tx.delete(sessions).where(eq(sessions.userId, target.id));
    await auditOperation(tx, input, now, {
      operation: "resend_user_invitation",
      targetType: "user",
      targetId: target.id,
    });
    return { target, mode, secrets };
  });
  const emailed =
    mode === "EMAIL_LINK" &&
    (await mail(
      deps,
      target.email ?? "",
      "invite",
      secrets.link,
      await accountName(deps.db, input.principal.user.accountId),
    ));
  return { inviteMode: mode, secrets, emailed };
}

/**
 * Reset the password of an ACTIVE person: a 30-minute link by email when SMTP is configured, or (when
 * asked for) a temporary password, returned once, that must be changed at the next sign-in.
 */
export async function resetPassword(
  deps: DirectoryDeps,
  input: Actor & { userId: string | null; mode: "email" | "temporary_password"; baseUrl: string },
): Promise<InvitationSecrets> {
  assertMayManageUsers(input);
  if (input.mode === "email" && !deps.mailer)
    throw invalid(
      "This server sends no email (SMTP_URL is not set); ask for a temporary password with ?mode=temporary_password.",
    );
  const now = deps.clock.now();
  const { target, secrets } = await deps.db.transaction(async (tx) => {
    assertMayManageUsers({ ...input, principal: await currentCaller(tx, input.principal, input.userId) });
    const target = await loadUser(tx, input, input.userId, true);
    const status = statusOf(target, now);
    if (status === "blocked") throw conflict("This user is blocked.");
    if (status !== "active") throw invalid("This user has not joined yet; resend the invitation instead.");
    const { set, secrets } = await issue(
      input.mode === "temporary_password" ? "TEMPORARY_PASSWORD" : "RESET_LINK",
      now,
      input.baseUrl,
    );
    await tx.update(users).set(set).where(eq(users.id, target.id));
    // A temporary password replaces the old one at once: sessions opened with the old one end.
    if (input.mode === "temporary_password") await tx.delete(sessions).where(eq(sessions.userId, target.id));
    await auditOperation(tx, input, now, {
      operation: "reset_user_password",
      targetType: "user",
      targetId: target.id,
      facts: { mode: input.mode },
    });
    return { target, secrets };
  });
  if (input.mode === "email") {
    await mail(
      deps,
      target.email ?? "",
      "reset",
      secrets.link,
      await accountName(deps.db, input.principal.user.accountId),
    );
    return {};
  }
  return secrets;
}
