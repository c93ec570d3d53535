import { and, asc, eq, gt, ilike, inArray, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import {
  organizationMemberships,
  organizations,
  sessions,
  spaceMemberships,
  spaces,
  users,
} from "../db/schema";
import { writeAudit } from "../domain/audit";
import { forbidden, notFound } from "../domain/errors";
import { decodeCursor, toPage, type Cursor, type Page } from "../domain/pagination";
import { isAccountAdmin, reachableSpaceIds, type Principal } from "../auth/principal";
import { currentCaller } from "./caller";
import type { DirectoryEvents } from "./context";
import { assertNotLastAdmin, loadPerson } from "./users";

export type { DirectoryEvents } from "./context";

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
  // Storable text only (lib/schemas textInput): the schema refused NUL and lone surrogates.
  if (!name) return undefined;
  return ilike(column, `%${name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
};

/**
 * Spaces the caller can see, oldest first: those they hold a role in, and the public spaces of the
 * organizations they belong to. A private space shows only to its members and the admins above them.
 */
export async function listSpaces(
  db: Db,
  input: ListInput & { organizationId?: string | null },
): Promise<Page<DirectoryEntry & { isPrivate: boolean }>> {
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const ids = reachableSpaceIds(input.principal);
  const orgIds = input.principal.organizations.map((o) => o.id);
  // An org_id that is not a valid id matches nothing rather than everything.
  if ((ids.length === 0 && orgIds.length === 0) || input.organizationId === null) return { items: [] };
  const rows = await db
    .select({
      id: spaces.id,
      name: spaces.name,
      description: spaces.description,
      isPrivate: spaces.isPrivate,
      createdAt: spaces.createdAt,
    })
    .from(spaces)
    .where(
      and(
        or(
          ids.length ? inArray(spaces.id, ids) : undefined,
          orgIds.length
            ? and(eq(spaces.isPrivate, false), inArray(spaces.organizationId, orgIds))
            : undefined,
        ),
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
    return true;
  });
  if (changed) events?.usersChanged([userId]);
}
