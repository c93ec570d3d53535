/**
 * Loading a principal's access: the user and their effective roles at every scope, read in one
 * statement (the directory as a correlated subquery on `users`). Authentication (sessions, keys), the
 * keys' domain and the directory's own writes read access through here.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { organizationMemberships, organizations, spaceMemberships, spaces, users } from "../db/schema";
import { SCOPE_ROLES, type ScopeRole } from "../roles/names";
import { effectiveRoles, type DirectoryRow } from "../roles/roles";
import type { Principal } from "./principal";

/** A principal without its credential: who they are and what they may reach. */
type Access = Omit<Principal, "credential">;

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

const isScopeRole = (v: unknown): v is ScopeRole => SCOPE_ROLES.some((role) => role === v);
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
