import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import {
  organizationMemberships,
  organizations,
  sessions,
  spaceMemberships,
  spaces,
  users,
} from "../db/schema";
import { writeAudit } from "./audit";
import { forbidden, notFound } from "./errors";
import { decodeCursor, toPage, type Cursor, type Page } from "./pagination";
import { isAccountAdmin, reachableSpaceIds, type Principal } from "./principal";
import { effectiveRoles, type DirectoryRow } from "./roles";

/** The user and their effective roles at every scope, or null if the user is missing or blocked. */
export async function loadAccess(db: DbOrTx, userId: string): Promise<Omit<Principal, "credential"> | null> {
  const [user] = await db
    .select({
      id: users.id,
      accountId: users.accountId,
      name: users.name,
      email: users.email,
      kind: users.kind,
      accountRole: users.accountRole,
      status: users.status,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.status !== "active") return null;

  // One round trip: every organization and space of the account with this user's memberships.
  const rows: DirectoryRow[] = await db
    .select({
      organizationId: organizations.id,
      organizationName: organizations.name,
      organizationRole: organizationMemberships.role,
      spaceId: spaces.id,
      spaceName: spaces.name,
      spaceRole: spaceMemberships.role,
    })
    .from(organizations)
    .leftJoin(spaces, eq(spaces.organizationId, organizations.id))
    .leftJoin(
      organizationMemberships,
      and(
        eq(organizationMemberships.organizationId, organizations.id),
        eq(organizationMemberships.userId, userId),
      ),
    )
    .leftJoin(
      spaceMemberships,
      and(eq(spaceMemberships.spaceId, spaces.id), eq(spaceMemberships.userId, userId)),
    )
    .where(eq(organizations.accountId, user.accountId))
    .orderBy(asc(organizations.createdAt), asc(organizations.id), asc(spaces.createdAt), asc(spaces.id));

  const { status: _status, ...profile } = user;
  return { user: profile, organizations: effectiveRoles(user.accountRole, rows) };
}

interface ListInput {
  principal: Principal;
  name?: string;
  limit: number;
  cursor?: string;
}

export interface DirectoryEntry {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

const afterCursor = (table: typeof spaces | typeof organizations, cursor: Cursor): SQL | undefined =>
  or(
    gt(table.createdAt, cursor.createdAt),
    and(eq(table.createdAt, cursor.createdAt), gt(table.id, cursor.id)),
  );

const nameFilter = (column: PgColumn, name: string | undefined): SQL | undefined => {
  if (!name) return undefined;
  // PostgreSQL text cannot hold NUL, so no name contains one; sending it would make the query fail.
  if (name.includes("\u0000")) return sql`false`;
  return ilike(column, `%${name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
};

/** Spaces the caller can reach, oldest first. */
export async function listSpaces(
  db: Db,
  input: ListInput & { organizationId?: string | null },
): Promise<Page<DirectoryEntry>> {
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const ids = reachableSpaceIds(input.principal);
  // An org_id that is not a valid id matches nothing rather than everything.
  if (ids.length === 0 || input.organizationId === null) return { items: [] };
  const rows = await db
    .select({
      id: spaces.id,
      name: spaces.name,
      description: spaces.description,
      createdAt: spaces.createdAt,
    })
    .from(spaces)
    .where(
      and(
        inArray(spaces.id, ids),
        input.organizationId ? eq(spaces.organizationId, input.organizationId) : undefined,
        nameFilter(spaces.name, input.name),
        cursor ? afterCursor(spaces, cursor) : undefined,
      ),
    )
    .orderBy(asc(spaces.createdAt), asc(spaces.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => r);
}

/** Organizations the caller can reach, oldest first. */
export async function listOrganizations(db: Db, input: ListInput): Promise<Page<DirectoryEntry>> {
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const ids = input.principal.organizations.map((o) => o.id);
  if (ids.length === 0) return { items: [] };
  const rows = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      description: organizations.description,
      createdAt: organizations.createdAt,
    })
    .from(organizations)
    .where(
      and(
        inArray(organizations.id, ids),
        nameFilter(organizations.name, input.name),
        cursor ? afterCursor(organizations, cursor) : undefined,
      ),
    )
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => r);
}

/**
 * Blocks a user: no more sign-ins, sessions ended, memberships gone, user keys dead at once (key
 * verification checks the user's status). Service keys they created live on: they act as bot users.
 * Account admins only, never oneself, idempotent.
 */
export async function blockUser(
  db: Db,
  clock: Clock,
  input: { principal: Principal; userId: string | null; clientAddress?: string | null },
): Promise<void> {
  const { principal } = input;
  if (!isAccountAdmin(principal)) throw forbidden("Only account admins can block users.");
  if (input.userId === principal.user.id) throw forbidden("You cannot block yourself.");
  const userId = input.userId;
  if (!userId) throw notFound();
  await db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: users.id, status: users.status })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.accountId, principal.user.accountId)))
      .for("update");
    if (!target) throw notFound();
    if (target.status === "blocked") return;
    const now = clock.now();
    await tx.update(users).set({ status: "blocked", blockedAt: now }).where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(organizationMemberships).where(eq(organizationMemberships.userId, userId));
    await tx.delete(spaceMemberships).where(eq(spaceMemberships.userId, userId));
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
  });
}
