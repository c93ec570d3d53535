import { eq, sql } from "drizzle-orm";
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
import { writeAudit } from "../domain/audit";
import { forbidden, notFound } from "../domain/errors";
import { isAccountAdmin, type Principal } from "../auth/principal";
import { effectiveRoles, type DirectoryRow, type ScopeRole } from "../roles/roles";
import { currentCaller } from "./caller";
import type { DirectoryEvents } from "./context";
import { assertNotLastAdmin, loadPerson } from "./users";

type Access = Omit<Principal, "credential">;

export type { DirectoryEvents } from "./context";

/**
 * Every organization and space of the user's account with the user's memberships, as one JSON array
 * of `[organizationId, organizationName, organizationRole, spaceId, spaceName, spaceRole]`, in the
 * order effective roles are listed. A correlated subquery on `users` (written out qualified: Drizzle
 * leaves columns of a one-table select unqualified), so that any select that already has the user,
 * by id or joined from a key, gets the directory in the same round trip.
 */
export const directoryOfUser = sql<unknown>`coalesce((
  select json_agg(json_build_array(o.id, o.name, om.role, s.id, s.name, sm.role)
                  order by o.created_at, o.id, s.created_at, s.id)
  from ${organizations} o
  left join ${spaces} s on s.organization_id = o.id
  left join ${organizationMemberships} om on om.organization_id = o.id and om.user_id = "users"."id"
  left join ${spaceMemberships} sm on sm.space_id = s.id and sm.user_id = "users"."id"
  where o.account_id = "users"."account_id"
), '[]'::json)`;

/** The user columns `accessFromRow` needs. */
export const accessUserColumns = {
  id: users.id,
  accountId: users.accountId,
  name: users.name,
  email: users.email,
  kind: users.kind,
  accountRole: users.accountRole,
  status: users.status,
};

const SCOPE_ROLES: readonly string[] = ["admin", "member", "read-only"];
const isScopeRole = (v: unknown): v is ScopeRole => typeof v === "string" && SCOPE_ROLES.includes(v);
const stringOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";

function directoryRows(value: unknown): DirectoryRow[] {
  const list: unknown = typeof value === "string" ? JSON.parse(value) : value;
  if (!Array.isArray(list)) throw new Error("directory: expected a JSON array");
  return list.map((item: unknown): DirectoryRow => {
    if (!Array.isArray(item) || item.length !== 6) throw new Error("directory: malformed row");
    const [organizationId, organizationName, organizationRole, spaceId, spaceName, spaceRole]: unknown[] =
      item;
    if (
      typeof organizationId !== "string" ||
      typeof organizationName !== "string" ||
      !(organizationRole === null || isScopeRole(organizationRole)) ||
      !stringOrNull(spaceId) ||
      !stringOrNull(spaceName) ||
      !(spaceRole === null || isScopeRole(spaceRole))
    )
      throw new Error("directory: malformed row");
    return { organizationId, organizationName, organizationRole, spaceId, spaceName, spaceRole };
  });
}

/** The principal's user and roles from a row selected with `accessUserColumns` and `directoryOfUser`. */
export function accessFromRow(
  user: (Principal["user"] & { status: "active" | "blocked" | "invited" }) | null,
  directory: unknown,
): Access | null {
  // An invited person holds a session only through a temporary password (which they must change).
  if (!user || user.status === "blocked") return null;
  const { status: _status, ...profile } = user;
  return { user: profile, organizations: effectiveRoles(user.accountRole, directoryRows(directory)) };
}

/** The user and their effective roles at every scope, or null if the user is missing or blocked. */
export async function loadAccess(db: DbOrTx, userId: string): Promise<Access | null> {
  const [row] = await db
    .select({ user: accessUserColumns, directory: directoryOfUser })
    .from(users)
    .where(eq(users.id, userId));
  return row ? accessFromRow(row.user, row.directory) : null;
}

/**
 * The caller's user and roles as committed now, read inside the caller's write transaction with
 * their user row share-locked until it ends. Every change to a person's roles or status locks that
 * row first (a membership change, an account-role change, a block), so none can commit between this
 * read and the write: roles checked against this are the roles held when the write commits — not
 * the ones read when the request authenticated. Null if the user is gone or blocked.
 */
export async function lockAccess(tx: DbOrTx, userId: string): Promise<Access | null> {
  const [row] = await tx
    .select({ user: accessUserColumns, directory: directoryOfUser })
    .from(users)
    .where(eq(users.id, userId))
    .for("share");
  return row ? accessFromRow(row.user, row.directory) : null;
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
