/**
 * The two kinds of scope, organizations and spaces, written down once: what differs between them is a
 * table, a membership table, a noun, where the scope sits and who can see it. Every operation in this
 * folder is one function over this table.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db, DbOrTx } from "../../db/client";
import { preparedPerDatabase } from "../../db/prepared";
import { organizationMemberships, organizations, spaceMemberships, spaces } from "../../db/schema";
import { forbidden, invalid, notFound } from "../../domain/errors";
import { decodeCursor, toPage, type Cursor, type Page } from "../../domain/pagination";
import { findSpace, organizationRole, reachableSpaceIds, type Principal } from "../../auth/principal";
import type { ScopeRole } from "../../roles/names";
import { mayDo, REFUSAL, type DirectoryAction } from "../../roles/roles";
import type { UserStatus } from "../users";

export interface DirectoryEntry {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

interface SpaceView extends DirectoryEntry {
  organizationId: string;
  isPrivate: boolean;
}

/** What each kind of scope reads as, in full and in lists. */
export interface ScopeViews {
  organization: DirectoryEntry;
  space: SpaceView;
}
/** In lists, each scope carries [ext] its member count: the humans holding a role there (its member list's length). */
export interface ListedScopes {
  organization: DirectoryEntry & { memberCount: number };
  space: DirectoryEntry & { isPrivate: boolean; memberCount: number };
}
export type ScopeKindName = keyof ScopeViews;

export interface MembershipView {
  scope: ScopeKindName;
  scopeId: string;
  userId: string;
  role: ScopeRole;
  user?: { name: string; email: string; status: UserStatus };
}

/** A new scope's fields; `isPrivate` is a space's only. */
export interface ScopeFields {
  name?: string;
  description?: string | null;
  isPrivate?: boolean;
}

/** A list's filters: `organizationId` narrows spaces to one organization (null: an id that matches nothing). */
export interface ScopeListInput {
  principal: Principal;
  organizationId?: string | null;
  name?: string;
  limit: number;
  cursor?: string;
}

/** A membership's user columns: the id, and the copies of created_at and kind its lists are ordered by. */
export interface MemberCopies {
  userId: string;
  userCreatedAt: Date;
  userKind: "human" | "bot";
}

export interface ScopeKind<K extends ScopeKindName> {
  kind: K;
  /** In messages: "No space with that id…", "… a member of this space.", `space "Prod"`. */
  noun: K;
  /** Who else has a name, for a name taken: "An organization named …", "A space in this organization named …". */
  sameNameOwner: string;
  /** Who may create, rename or delete one; who may change its members. */
  manage: DirectoryAction;
  manageMembers: DirectoryAction;
  membership: typeof organizationMemberships | typeof spaceMemberships;
  membershipScopeId: typeof organizationMemberships.organizationId | typeof spaceMemberships.spaceId;
  /** The organization and space whose roles decide for this scope. */
  placeOf(view: ScopeViews[K]): { organizationId: string; spaceId?: string };
  /** The caller's own role at this scope: nobody grants above it. */
  callerRole(principal: Principal, view: ScopeViews[K]): ScopeRole | null;
  /** The scope if the caller can see it (locked for the change when `lock`), else 404. */
  visible(tx: DbOrTx, principal: Principal, id: string | null, lock?: boolean): Promise<ScopeViews[K]>;
  /** `visible` outside a transaction, without a lock: a prepared statement. */
  readVisible(db: Db, principal: Principal, id: string | null): Promise<ScopeViews[K]>;
  /** Where a new one goes: nowhere for an organization (the account), a visible organization for a space. */
  parent: null | ((tx: DbOrTx, caller: Principal, organizationId: string | null) => Promise<string>);
  insert(
    tx: DbOrTx,
    row: {
      accountId: string;
      parentId: string | null;
      name: string;
      description: string;
      isPrivate: boolean;
    },
    now: Date,
  ): Promise<ScopeViews[K] | undefined>;
  update(tx: DbOrTx, id: string, fields: ScopeFields): Promise<ScopeViews[K] | undefined>;
  remove(tx: DbOrTx, id: string): Promise<void>;
  /** The spaces deleting the scope deletes, locked; and the organization, whose own roles go too. */
  deletes(tx: DbOrTx, view: ScopeViews[K]): Promise<{ spaceIds: string[]; organizationId?: string }>;
  /** Refuses a person the scope cannot take as a member (a space: only members of its organization). */
  admits(tx: DbOrTx, view: ScopeViews[K], person: { id: string; accountRole: string }): Promise<void>;
  upsertMember(tx: DbOrTx, id: string, member: MemberCopies, role: ScopeRole): Promise<void>;
  /** What else leaving the scope takes away (an organization: the roles in each of its spaces). */
  afterRemovingMember(tx: DbOrTx, id: string, userId: string): Promise<void>;
  /** The scopes the caller can see, oldest first, or null where none can be. */
  list(
    db: Db,
    input: ScopeListInput,
    where: (columns: ListColumns) => SQL[],
  ): Promise<ListedScopes[K][] | null>;
}

/** The columns a list filters and orders by. */
export interface ListColumns {
  id: PgColumn;
  name: PgColumn;
  createdAt: PgColumn;
}

const orgColumns = {
  id: organizations.id,
  name: organizations.name,
  description: organizations.description,
  createdAt: organizations.createdAt,
};
const spaceColumns = {
  id: spaces.id,
  organizationId: spaces.organizationId,
  name: spaces.name,
  description: spaces.description,
  isPrivate: spaces.isPrivate,
  createdAt: spaces.createdAt,
};

/**
 * A scope's member count inside its list's query: a correlated count over the membership table's
 * list index (scope id, …) where user_kind = 'human', one index-only lookup per listed row.
 */
const memberCount = (
  table: typeof organizationMemberships | typeof spaceMemberships,
  scopeColumn: PgColumn,
  scopeId: PgColumn,
) =>
  sql<number>`(select count(*) from ${table} where ${scopeColumn} = ${scopeId} and ${table.userKind} = 'human')`.mapWith(
    Number,
  );

const noScope = (noun: ScopeKindName) => notFound(`No ${noun} with that id, or you cannot see it.`);

// The reads of an organization and of a space outside transactions, as prepared statements: a member
// list reads its scope on every request (issue 11). `inAccount` is the one condition: this id, in the
// caller's account.
function byIdInAccount<Q>(
  prefix: string,
  select: (
    db: Db,
    inAccount: (id: PgColumn, accountId: PgColumn) => SQL | undefined,
  ) => {
    prepare(name: string): Q;
  },
) {
  return preparedPerDatabase(
    prefix,
    (shape: "by_id") => shape,
    (db: Db, _shape, name: string) =>
      select(db, (id, accountId) =>
        and(eq(id, sql.placeholder("id")), eq(accountId, sql.placeholder("accountId"))),
      ).prepare(name),
  );
}
const organizationById = byIdInAccount("keydesk_organization", (db, inAccount) =>
  db.select(orgColumns).from(organizations).where(inAccount(organizations.id, organizations.accountId)),
);
const spaceById = byIdInAccount("keydesk_space", (db, inAccount) =>
  db
    .select(spaceColumns)
    .from(spaces)
    .innerJoin(organizations, eq(organizations.id, spaces.organizationId))
    .where(inAccount(spaces.id, organizations.accountId)),
);

/** Organizations the caller belongs to (every one, for account admins); others are 404. */
async function visibleOrganization(tx: DbOrTx, principal: Principal, id: string | null, lock = false) {
  if (!id || organizationRole(principal, id) === null) throw noScope("organization");
  const query = tx
    .select(orgColumns)
    .from(organizations)
    .where(and(eq(organizations.id, id), eq(organizations.accountId, principal.user.accountId)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw noScope("organization");
  return row;
}

/**
 * A space the caller can see: one they hold a role in (members, and admins above them), or a public
 * space of an organization they belong to. A private space is 404 to everyone else.
 */
function seenSpace(principal: Principal, row: SpaceView | undefined): SpaceView {
  if (!row) throw noScope("space");
  const reachable = findSpace(principal, row.id) !== null;
  if (!reachable && (row.isPrivate || organizationRole(principal, row.organizationId) === null))
    throw noScope("space");
  return row;
}

const afterCursor = (columns: ListColumns, cursor: Cursor): SQL | undefined =>
  or(
    gt(columns.createdAt, cursor.createdAt),
    and(eq(columns.createdAt, cursor.createdAt), gt(columns.id, cursor.id)),
  );

const nameFilter = (column: PgColumn, name: string | undefined): SQL | undefined => {
  // Storable text only (lib/schemas textInput): the schema refused NUL and lone surrogates.
  if (!name) return undefined;
  return ilike(column, `%${name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
};

/** A list's name filter and cursor, on the kind's own columns. */
export function listFilters(input: ScopeListInput) {
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  return (columns: ListColumns): SQL[] =>
    [nameFilter(columns.name, input.name), cursor ? afterCursor(columns, cursor) : undefined].filter(
      (w): w is SQL => w !== undefined,
    );
}

/** A new scope's own columns, the same for both kinds. */
const newEntry = (row: { name: string; description: string }, now: Date) => ({
  id: randomUUID(),
  name: row.name,
  description: row.description,
  createdAt: now,
});

/** The name and description a change sets (`description: null` clears it). */
const nameAndDescription = (fields: ScopeFields) => ({
  ...(fields.name !== undefined ? { name: fields.name } : {}),
  ...(fields.description !== undefined ? { description: fields.description ?? "" } : {}),
});

const organizationKind: ScopeKind<"organization"> = {
  kind: "organization",
  noun: "organization",
  sameNameOwner: "An organization",
  manage: "manage_organizations",
  manageMembers: "manage_organization_members",
  membership: organizationMemberships,
  membershipScopeId: organizationMemberships.organizationId,
  placeOf: (org) => ({ organizationId: org.id }),
  callerRole: (principal, org) => organizationRole(principal, org.id),
  visible: visibleOrganization,
  async readVisible(db, principal, id) {
    if (!id || organizationRole(principal, id) === null) throw noScope("organization");
    const [row] = await organizationById(db, "by_id").execute({ id, accountId: principal.user.accountId });
    if (!row) throw noScope("organization");
    return row;
  },
  parent: null,
  async insert(tx, row, now) {
    const [created] = await tx
      .insert(organizations)
      .values({ ...newEntry(row, now), accountId: row.accountId })
      .returning(orgColumns);
    return created;
  },
  async update(tx, id, fields) {
    const [row] = await tx
      .update(organizations)
      .set(nameAndDescription(fields))
      .where(eq(organizations.id, id))
      .returning(orgColumns);
    return row;
  },
  async remove(tx, id) {
    await tx.delete(organizations).where(eq(organizations.id, id));
  },
  async deletes(tx, org) {
    const spaceIds = (
      await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.organizationId, org.id)).for("update")
    ).map((s) => s.id);
    return { spaceIds, organizationId: org.id };
  },
  admits: async () => {},
  async upsertMember(tx, id, member, role) {
    await tx
      .insert(organizationMemberships)
      .values({ ...member, organizationId: id, role })
      .onConflictDoUpdate({
        target: [organizationMemberships.userId, organizationMemberships.organizationId],
        set: { role },
      });
  },
  // 1.28's membership cascade: leaving an organization is leaving every space of it.
  async afterRemovingMember(tx, id, userId) {
    const orgSpaces = tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.organizationId, id));
    await tx
      .delete(spaceMemberships)
      .where(and(eq(spaceMemberships.userId, userId), inArray(spaceMemberships.spaceId, orgSpaces)));
  },
  /** Organizations the caller can reach, oldest first. */
  async list(db, input, where) {
    const ids = input.principal.organizations.map((o) => o.id);
    if (ids.length === 0) return null;
    return db
      .select({
        ...orgColumns,
        memberCount: memberCount(
          organizationMemberships,
          organizationMemberships.organizationId,
          organizations.id,
        ),
      })
      .from(organizations)
      .where(and(inArray(organizations.id, ids), ...where(organizations)))
      .orderBy(asc(organizations.createdAt), asc(organizations.id))
      .limit(input.limit + 1);
  },
};

const spaceKind: ScopeKind<"space"> = {
  kind: "space",
  noun: "space",
  sameNameOwner: "A space in this organization",
  manage: "manage_spaces",
  manageMembers: "manage_space_members",
  membership: spaceMemberships,
  membershipScopeId: spaceMemberships.spaceId,
  placeOf: (space) => ({ organizationId: space.organizationId, spaceId: space.id }),
  callerRole: (principal, space) => findSpace(principal, space.id)?.role ?? null,
  async visible(tx, principal, id, lock = false) {
    if (!id) throw noScope("space");
    const query = tx
      .select(spaceColumns)
      .from(spaces)
      .innerJoin(organizations, eq(organizations.id, spaces.organizationId))
      .where(and(eq(spaces.id, id), eq(organizations.accountId, principal.user.accountId)));
    const [row] = lock ? await query.for("update", { of: spaces }) : await query;
    return seenSpace(principal, row);
  },
  async readVisible(db, principal, id) {
    if (!id) throw noScope("space");
    const [row] = await spaceById(db, "by_id").execute({ id, accountId: principal.user.accountId });
    return seenSpace(principal, row);
  },
  parent: async (tx, caller, organizationId) => (await visibleOrganization(tx, caller, organizationId)).id,
  async insert(tx, row, now) {
    if (!row.parentId) return undefined;
    const [created] = await tx
      .insert(spaces)
      .values({ ...newEntry(row, now), organizationId: row.parentId, isPrivate: row.isPrivate })
      .returning(spaceColumns);
    return created;
  },
  async update(tx, id, fields) {
    const [row] = await tx
      .update(spaces)
      .set({
        ...nameAndDescription(fields),
        ...(fields.isPrivate !== undefined ? { isPrivate: fields.isPrivate } : {}),
      })
      .where(eq(spaces.id, id))
      .returning(spaceColumns);
    return row;
  },
  async remove(tx, id) {
    await tx.delete(spaces).where(eq(spaces.id, id));
  },
  deletes: async (_tx, space) => ({ spaceIds: [space.id] }),
  async admits(tx, space, person) {
    if (person.accountRole === "admin") return;
    const [inOrg] = await tx
      .select({ role: organizationMemberships.role })
      .from(organizationMemberships)
      .where(
        and(
          eq(organizationMemberships.organizationId, space.organizationId),
          eq(organizationMemberships.userId, person.id),
        ),
      );
    if (!inOrg)
      throw invalid(
        "That user is not a member of this space's organization; add them to the organization first.",
        "user_id",
      );
  },
  async upsertMember(tx, id, member, role) {
    await tx
      .insert(spaceMemberships)
      .values({ ...member, spaceId: id, role })
      .onConflictDoUpdate({ target: [spaceMemberships.userId, spaceMemberships.spaceId], set: { role } });
  },
  afterRemovingMember: async () => {},
  /**
   * Spaces the caller can see, oldest first: those they hold a role in, and the public spaces of the
   * organizations they belong to. A private space shows only to its members and the admins above them.
   */
  async list(db, input, where) {
    const ids = reachableSpaceIds(input.principal);
    const orgIds = input.principal.organizations.map((o) => o.id);
    // An org_id that is not a valid id matches nothing rather than everything.
    if ((ids.length === 0 && orgIds.length === 0) || input.organizationId === null) return null;
    return db
      .select({
        id: spaces.id,
        name: spaces.name,
        description: spaces.description,
        isPrivate: spaces.isPrivate,
        createdAt: spaces.createdAt,
        memberCount: memberCount(spaceMemberships, spaceMemberships.spaceId, spaces.id),
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
          ...where(spaces),
        ),
      )
      .orderBy(asc(spaces.createdAt), asc(spaces.id))
      .limit(input.limit + 1);
  },
};

export const SCOPE_KINDS: { [K in ScopeKindName]: ScopeKind<K> } = {
  organization: organizationKind,
  space: spaceKind,
};

/** 403 unless the caller's roles at the scope's place allow `action`. */
export function assertMay(
  action: DirectoryAction,
  principal: Principal,
  place: { organizationId: string | null; spaceId?: string },
) {
  const allowed = mayDo(action, {
    accountRole: principal.user.accountRole,
    organizationRole: place.organizationId ? organizationRole(principal, place.organizationId) : null,
    spaceRole: place.spaceId ? (findSpace(principal, place.spaceId)?.role ?? null) : null,
  });
  if (!allowed) throw forbidden(REFUSAL[action]);
}

/** A page of a list's rows (one more than the limit read, for the cursor). */
export const scopePage = <T extends { id: string; createdAt: Date }>(
  rows: T[] | null,
  limit: number,
): Page<T> => (rows ? toPage(rows, limit, (r) => r) : { items: [] });
