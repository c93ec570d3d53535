/** Organizations and spaces: create, rename, delete, and who is a member of them with which role. */
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { preparedPerDatabase } from "../db/prepared";
import {
  apiKeys,
  organizationMemberships,
  organizations,
  spaceMemberships,
  spaces,
  users,
} from "../db/schema";
import { conflict, DomainError, forbidden, invalid, notFound, unsupported } from "../domain/errors";
import { decodeCursor, toPage, type Page } from "../domain/pagination";
import { encodeId } from "../domain/ids";
import { writeAudit } from "../domain/audit";
import { currentCaller } from "./caller";
import { findSpace, organizationRole, type Principal } from "../auth/principal";
import {
  grantRefusal,
  mayDo,
  parseRole,
  REFUSAL,
  SCOPE_ROLES,
  type DirectoryAction,
  type RoleInput,
  type ScopeRole,
} from "../roles/roles";
import { auditOperation, isUniqueViolation, type Actor, type DirectoryDeps } from "./context";
import type { DirectoryEntry } from "./directory";
import { loadPerson, statusOf, type UserStatus } from "./users";

export interface SpaceView extends DirectoryEntry {
  organizationId: string;
  isPrivate: boolean;
}

export interface MembershipView {
  scope: "organization" | "space";
  scopeId: string;
  userId: string;
  role: ScopeRole;
  user?: { name: string; email: string; status: UserStatus };
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

function assertMay(
  action: DirectoryAction,
  principal: Principal,
  organizationId: string | null,
  spaceId?: string,
) {
  const allowed = mayDo(action, {
    accountRole: principal.user.accountRole,
    organizationRole: organizationId ? organizationRole(principal, organizationId) : null,
    spaceRole: spaceId ? (findSpace(principal, spaceId)?.role ?? null) : null,
  });
  if (!allowed) throw forbidden(REFUSAL[action]);
}

const noOrganization = () => notFound("No organization with that id, or you cannot see it.");
const noSpace = () => notFound("No space with that id, or you cannot see it.");

// The reads of an organization and of a space outside transactions, as prepared statements: a member
// list reads its scope on every request (issue 11).
const organizationById = preparedPerDatabase(
  "keydesk_organization",
  (shape: "by_id") => shape,
  (db: Db, _shape, name: string) =>
    db
      .select(orgColumns)
      .from(organizations)
      .where(
        and(
          eq(organizations.id, sql.placeholder("id")),
          eq(organizations.accountId, sql.placeholder("accountId")),
        ),
      )
      .prepare(name),
);
const spaceById = preparedPerDatabase(
  "keydesk_space",
  (shape: "by_id") => shape,
  (db: Db, _shape, name: string) =>
    db
      .select(spaceColumns)
      .from(spaces)
      .innerJoin(organizations, eq(organizations.id, spaces.organizationId))
      .where(
        and(eq(spaces.id, sql.placeholder("id")), eq(organizations.accountId, sql.placeholder("accountId"))),
      )
      .prepare(name),
);

/** Organizations the caller belongs to (every one, for account admins); others are 404. */
async function visibleOrganization(tx: DbOrTx, principal: Principal, id: string | null, lock = false) {
  if (!id || organizationRole(principal, id) === null) throw noOrganization();
  const query = tx
    .select(orgColumns)
    .from(organizations)
    .where(and(eq(organizations.id, id), eq(organizations.accountId, principal.user.accountId)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw noOrganization();
  return row;
}

/**
 * A space the caller can see: one they hold a role in (members, and admins above them), or a public
 * space of an organization they belong to. A private space is 404 to everyone else.
 */
async function visibleSpace(
  tx: DbOrTx,
  principal: Principal,
  id: string | null,
  lock = false,
): Promise<SpaceView> {
  if (!id) throw noSpace();
  const query = tx
    .select(spaceColumns)
    .from(spaces)
    .innerJoin(organizations, eq(organizations.id, spaces.organizationId))
    .where(and(eq(spaces.id, id), eq(organizations.accountId, principal.user.accountId)));
  const [row] = lock ? await query.for("update", { of: spaces }) : await query;
  return seenSpace(principal, row);
}

function seenSpace(principal: Principal, row: SpaceView | undefined): SpaceView {
  if (!row) throw noSpace();
  const reachable = findSpace(principal, row.id) !== null;
  if (!reachable && (row.isPrivate || organizationRole(principal, row.organizationId) === null))
    throw noSpace();
  return row;
}

/** `visibleOrganization` and `visibleSpace` outside a transaction, without a lock: prepared. */
async function readVisibleOrganization(db: Db, principal: Principal, id: string | null) {
  if (!id || organizationRole(principal, id) === null) throw noOrganization();
  const [row] = await organizationById(db, "by_id").execute({ id, accountId: principal.user.accountId });
  if (!row) throw noOrganization();
  return row;
}

async function readVisibleSpace(db: Db, principal: Principal, id: string | null): Promise<SpaceView> {
  if (!id) throw noSpace();
  const [row] = await spaceById(db, "by_id").execute({ id, accountId: principal.user.accountId });
  return seenSpace(principal, row);
}

function readScopeRole(input: RoleInput): ScopeRole {
  const parsed = parseRole(input, SCOPE_ROLES);
  if (parsed.ok) return parsed.role;
  if (parsed.unsupported) throw unsupported(parsed.what);
  throw invalid(parsed.detail, "role");
}

/** 422 for generation D clients (as their contract says), 400 otherwise, naming scope, role and cap. */
function assertGrantable(scope: string, role: ScopeRole, cap: ScopeRole | null, strict: boolean) {
  const refusal = grantRefusal(scope, role, cap);
  if (refusal) throw new DomainError(strict ? "unprocessable" : "invalid", refusal, { field: "role" });
}

const duplicate = (what: string, name: string) => conflict(`${what} named "${name}" already exists.`);

// ── Organizations ─────────────────────────────────────────────────────────────────────────────────

/**
 * An organization or space change: `run` in one transaction (it audits there), then the caches are
 * told; a name already taken in the same place is a `duplicate` naming `taken.what`.
 */
async function changeDirectory<T>(
  deps: DirectoryDeps,
  principal: Principal,
  run: (tx: DbOrTx, caller: Principal) => Promise<T>,
  taken?: { what: string; name: string | undefined },
): Promise<T> {
  try {
    const result = await deps.db.transaction(async (tx) => run(tx, await currentCaller(tx, principal)));
    deps.events?.directoryChanged?.();
    return result;
  } catch (err) {
    if (taken?.name && isUniqueViolation(err)) throw duplicate(taken.what, taken.name);
    throw err;
  }
}

export async function getOrganization(deps: DirectoryDeps, input: Actor & { id: string | null }) {
  return readVisibleOrganization(deps.db, input.principal, input.id);
}

export async function createOrganization(
  deps: DirectoryDeps,
  input: Actor & { name: string; description?: string; variables: unknown },
): Promise<DirectoryEntry> {
  assertMay("manage_organizations", input.principal, null);
  const now = deps.clock.now();
  return changeDirectory(
    deps,
    input.principal,
    async (tx, caller) => {
      assertMay("manage_organizations", caller, null);
      const [row] = await tx
        .insert(organizations)
        .values({
          id: randomUUID(),
          accountId: input.principal.user.accountId,
          name: input.name,
          description: input.description ?? "",
          createdAt: now,
        })
        .returning(orgColumns);
      if (!row) throw notFound();
      await auditOperation(tx, input, now, {
        operation: "create_organization",
        targetType: "organization",
        targetId: row.id,
        variables: input.variables,
      });
      return row;
    },
    { what: "An organization", name: input.name },
  );
}

export async function updateOrganization(
  deps: DirectoryDeps,
  input: Actor & { id: string | null; name?: string; description?: string | null; variables: unknown },
): Promise<DirectoryEntry> {
  const now = deps.clock.now();
  return changeDirectory(
    deps,
    input.principal,
    async (tx, caller) => {
      const org = await visibleOrganization(tx, caller, input.id, true);
      assertMay("manage_organizations", caller, org.id);
      const [row] = await tx
        .update(organizations)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description ?? "" } : {}),
        })
        .where(eq(organizations.id, org.id))
        .returning(orgColumns);
      if (!row) throw notFound();
      await auditOperation(tx, input, now, {
        operation: "update_organization",
        targetType: "organization",
        targetId: org.id,
        variables: input.variables,
      });
      return row;
    },
    { what: "An organization", name: input.name },
  );
}

/**
 * The active service keys a scope holds: made in one of its spaces (`space_id`, the key's first
 * space), or whose bot user holds a role in one of its spaces or in the organization itself (generation
 * D's keys are bound to several scopes through their bot's memberships; an organization role may be
 * left with no space of it). Deleting the scope would strip those roles from under a live key.
 */
function keysBoundTo(tx: DbOrTx, scope: { spaceIds: string[]; organizationId?: string }): SQL | undefined {
  const bound: SQL[] = [];
  if (scope.spaceIds.length > 0)
    bound.push(
      inArray(apiKeys.spaceId, scope.spaceIds),
      inArray(
        apiKeys.userId,
        tx
          .select({ id: spaceMemberships.userId })
          .from(spaceMemberships)
          .where(inArray(spaceMemberships.spaceId, scope.spaceIds)),
      ),
    );
  if (scope.organizationId)
    bound.push(
      inArray(
        apiKeys.userId,
        tx
          .select({ id: organizationMemberships.userId })
          .from(organizationMemberships)
          .where(eq(organizationMemberships.organizationId, scope.organizationId)),
      ),
    );
  if (bound.length === 0) return undefined;
  return and(eq(apiKeys.keyType, "service"), eq(apiKeys.status, "active"), or(...bound));
}

/**
 * Revokes the active service keys the scope holds (the caller chose `force`), each with its own audit
 * row; returns their ids, for the caches to drop once the transaction commits.
 */
async function revokeServiceKeys(
  tx: DbOrTx,
  actor: Actor,
  scope: { spaceIds: string[]; organizationId?: string },
  now: Date,
  operation: "delete_space" | "delete_organization",
): Promise<string[]> {
  const where = keysBoundTo(tx, scope);
  if (!where) return [];
  const revoked = await tx
    .update(apiKeys)
    .set({ status: "revoked", revokedAt: now })
    .where(and(eq(apiKeys.accountId, actor.principal.user.accountId), where))
    .returning({ id: apiKeys.id });
  for (const { id } of revoked)
    await writeAudit(tx, {
      at: now,
      accountId: actor.principal.user.accountId,
      actorUserId: actor.principal.user.id,
      actorCredential: actor.principal.credential.type,
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: id,
      clientAddress: actor.clientAddress,
      details: { key_type: "service", by: operation },
    });
  return revoked.map((r) => r.id);
}

async function activeServiceKeys(
  tx: DbOrTx,
  principal: Principal,
  scope: { spaceIds: string[]; organizationId?: string },
): Promise<number> {
  const where = keysBoundTo(tx, scope);
  if (!where) return 0;
  const [row] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, principal.user.accountId), where));
  return row?.n ?? 0;
}

function keysConflict(what: string, n: number) {
  return conflict(
    `${what} holds ${n} active service key${n === 1 ? "" : "s"}; delete with ?force=true to revoke ${n === 1 ? "it" : "them"} too.`,
  );
}

export async function deleteOrganization(
  deps: DirectoryDeps,
  input: Actor & { id: string | null; force: boolean },
): Promise<void> {
  const now = deps.clock.now();
  const revoked = await changeDirectory(deps, input.principal, async (tx, caller) => {
    const org = await visibleOrganization(tx, caller, input.id, true);
    assertMay("manage_organizations", caller, org.id);
    const spaceIds = (
      await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.organizationId, org.id)).for("update")
    ).map((s) => s.id);
    const scope = { spaceIds, organizationId: org.id };
    const active = await activeServiceKeys(tx, caller, scope);
    if (active > 0 && !input.force) throw keysConflict(`Organization "${org.name}"`, active);
    const revoked = await revokeServiceKeys(tx, input, scope, now, "delete_organization");
    await tx.delete(organizations).where(eq(organizations.id, org.id));
    await auditOperation(tx, input, now, {
      operation: "delete_organization",
      targetType: "organization",
      targetId: org.id,
      variables: { force: input.force },
      facts: { name: org.name, revoked_service_keys: revoked.length },
    });
    return revoked;
  });
  if (revoked.length > 0) deps.events?.keysChanged?.(revoked);
}

// ── Spaces ────────────────────────────────────────────────────────────────────────────────────────

export async function getSpace(
  deps: DirectoryDeps,
  input: Actor & { id: string | null },
): Promise<SpaceView> {
  return readVisibleSpace(deps.db, input.principal, input.id);
}

export async function createSpace(
  deps: DirectoryDeps,
  input: Actor & {
    organizationId: string | null;
    name: string;
    description?: string;
    isPrivate?: boolean;
    variables: unknown;
  },
): Promise<SpaceView> {
  const now = deps.clock.now();
  return changeDirectory(
    deps,
    input.principal,
    async (tx, caller) => {
      const org = await visibleOrganization(tx, caller, input.organizationId);
      assertMay("manage_spaces", caller, org.id);
      const [row] = await tx
        .insert(spaces)
        .values({
          id: randomUUID(),
          organizationId: org.id,
          name: input.name,
          description: input.description ?? "",
          isPrivate: input.isPrivate ?? false,
          createdAt: now,
        })
        .returning(spaceColumns);
      if (!row) throw notFound();
      await auditOperation(tx, input, now, {
        operation: "create_space",
        targetType: "space",
        targetId: row.id,
        variables: input.variables,
      });
      return row;
    },
    { what: "A space in this organization", name: input.name },
  );
}

export async function updateSpace(
  deps: DirectoryDeps,
  input: Actor & {
    id: string | null;
    name?: string;
    description?: string | null;
    isPrivate?: boolean;
    variables: unknown;
  },
): Promise<SpaceView> {
  const now = deps.clock.now();
  return changeDirectory(
    deps,
    input.principal,
    async (tx, caller) => {
      const space = await visibleSpace(tx, caller, input.id, true);
      assertMay("manage_spaces", caller, space.organizationId);
      const [row] = await tx
        .update(spaces)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description ?? "" } : {}),
          ...(input.isPrivate !== undefined ? { isPrivate: input.isPrivate } : {}),
        })
        .where(eq(spaces.id, space.id))
        .returning(spaceColumns);
      if (!row) throw notFound();
      await auditOperation(tx, input, now, {
        operation: "update_space",
        targetType: "space",
        targetId: space.id,
        variables: input.variables,
      });
      return row;
    },
    { what: "A space in this organization", name: input.name },
  );
}

export async function deleteSpace(
  deps: DirectoryDeps,
  input: Actor & { id: string | null; force: boolean },
): Promise<void> {
  const now = deps.clock.now();
  const revoked = await changeDirectory(deps, input.principal, async (tx, caller) => {
    const space = await visibleSpace(tx, caller, input.id, true);
    assertMay("manage_spaces", caller, space.organizationId);
    const scope = { spaceIds: [space.id] };
    const active = await activeServiceKeys(tx, caller, scope);
    if (active > 0 && !input.force) throw keysConflict(`Space "${space.name}"`, active);
    const revoked = await revokeServiceKeys(tx, input, scope, now, "delete_space");
    await tx.delete(spaces).where(eq(spaces.id, space.id));
    await auditOperation(tx, input, now, {
      operation: "delete_space",
      targetType: "space",
      targetId: space.id,
      variables: { force: input.force },
      facts: { name: space.name, revoked_service_keys: revoked.length },
    });
    return revoked;
  });
  if (revoked.length > 0) deps.events?.keysChanged?.(revoked);
}

// ── Memberships ───────────────────────────────────────────────────────────────────────────────────

/** A person of the caller's account who may hold a role (not a bot, not blocked); else 404. */
async function memberCandidate(tx: DbOrTx, principal: Principal, userId: string | null) {
  const row = await loadPerson(tx, principal.user.accountId, userId, true);
  if (row.status === "blocked") throw notFound("No user with that id.");
  return row;
}

/** A membership's user columns: the id, and the copies of created_at and kind its lists are ordered by. */
const memberCopies = (user: { id: string; createdAt: Date; kind: "human" | "bot" }) => ({
  userId: user.id,
  userCreatedAt: user.createdAt,
  userKind: user.kind,
});

export async function addOrganizationUser(
  deps: DirectoryDeps,
  input: Actor & {
    organizationId: string | null;
    userId: string | null;
    role: RoleInput;
    strictGrants: boolean;
  },
): Promise<MembershipView> {
  const role = readScopeRole(input.role);
  const now = deps.clock.now();
  const view = await deps.db.transaction(async (tx) => {
    const caller = await currentCaller(tx, input.principal, input.userId);
    const org = await visibleOrganization(tx, caller, input.organizationId);
    assertMay("manage_organization_members", caller, org.id);
    assertGrantable(`organization ${org.name}`, role, organizationRole(caller, org.id), input.strictGrants);
    const target = await memberCandidate(tx, caller, input.userId);
    await tx
      .insert(organizationMemberships)
      .values({ ...memberCopies(target), organizationId: org.id, role })
      .onConflictDoUpdate({
        target: [organizationMemberships.userId, organizationMemberships.organizationId],
        set: { role },
      });
    await auditOperation(tx, input, now, {
      operation: "add_organization_user",
      targetType: "organization",
      targetId: org.id,
      variables: { user_id: encodeId("User", target.id), role },
    });
    return { scope: "organization" as const, scopeId: org.id, userId: target.id, role };
  });
  deps.events?.usersChanged([view.userId]);
  return view;
}

/** Removes a person from an organization and every space of it (1.28's membership cascade). */
export async function removeOrganizationUser(
  deps: DirectoryDeps,
  input: Actor & { organizationId: string | null; userId: string | null },
): Promise<void> {
  const now = deps.clock.now();
  const userId = await deps.db.transaction(async (tx) => {
    const caller = await currentCaller(tx, input.principal, input.userId);
    const org = await visibleOrganization(tx, caller, input.organizationId);
    assertMay("manage_organization_members", caller, org.id);
    const target = await memberCandidate(tx, caller, input.userId);
    const removed = await tx
      .delete(organizationMemberships)
      .where(
        and(
          eq(organizationMemberships.organizationId, org.id),
          eq(organizationMemberships.userId, target.id),
        ),
      )
      .returning({ userId: organizationMemberships.userId });
    if (removed.length === 0) throw notFound("That user is not a member of this organization.");
    const orgSpaces = tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.organizationId, org.id));
    await tx
      .delete(spaceMemberships)
      .where(and(eq(spaceMemberships.userId, target.id), inArray(spaceMemberships.spaceId, orgSpaces)));
    await auditOperation(tx, input, now, {
      operation: "remove_organization_user",
      targetType: "organization",
      targetId: org.id,
      variables: { user_id: encodeId("User", target.id) },
    });
    return target.id;
  });
  deps.events?.usersChanged([userId]);
}

export async function addSpaceUser(
  deps: DirectoryDeps,
  input: Actor & { spaceId: string | null; userId: string | null; role: RoleInput; strictGrants: boolean },
): Promise<MembershipView> {
  const role = readScopeRole(input.role);
  const now = deps.clock.now();
  const view = await deps.db.transaction(async (tx) => {
    const caller = await currentCaller(tx, input.principal, input.userId);
    const space = await visibleSpace(tx, caller, input.spaceId);
    assertMay("manage_space_members", caller, space.organizationId, space.id);
    assertGrantable(
      `space ${space.name}`,
      role,
      findSpace(caller, space.id)?.role ?? null,
      input.strictGrants,
    );
    const target = await memberCandidate(tx, caller, input.userId);
    if (target.accountRole !== "admin") {
      const [inOrg] = await tx
        .select({ role: organizationMemberships.role })
        .from(organizationMemberships)
        .where(
          and(
            eq(organizationMemberships.organizationId, space.organizationId),
            eq(organizationMemberships.userId, target.id),
          ),
        );
      if (!inOrg)
        throw invalid(
          "That user is not a member of this space's organization; add them to the organization first.",
          "user_id",
        );
    }
    await tx
      .insert(spaceMemberships)
      .values({ ...memberCopies(target), spaceId: space.id, role })
      .onConflictDoUpdate({ target: [spaceMemberships.userId, spaceMemberships.spaceId], set: { role } });
    await auditOperation(tx, input, now, {
      operation: "add_space_user",
      targetType: "space",
      targetId: space.id,
      variables: { user_id: encodeId("User", target.id), role },
    });
    return { scope: "space" as const, scopeId: space.id, userId: target.id, role };
  });
  deps.events?.usersChanged([view.userId]);
  return view;
}

export async function removeSpaceUser(
  deps: DirectoryDeps,
  input: Actor & { spaceId: string | null; userId: string | null },
): Promise<void> {
  const now = deps.clock.now();
  const userId = await deps.db.transaction(async (tx) => {
    const caller = await currentCaller(tx, input.principal, input.userId);
    const space = await visibleSpace(tx, caller, input.spaceId);
    assertMay("manage_space_members", caller, space.organizationId, space.id);
    const target = await memberCandidate(tx, caller, input.userId);
    const removed = await tx
      .delete(spaceMemberships)
      .where(and(eq(spaceMemberships.spaceId, space.id), eq(spaceMemberships.userId, target.id)))
      .returning({ userId: spaceMemberships.userId });
    if (removed.length === 0) throw notFound("That user is not a member of this space.");
    await auditOperation(tx, input, now, {
      operation: "remove_space_user",
      targetType: "space",
      targetId: space.id,
      variables: { user_id: encodeId("User", target.id) },
    });
    return target.id;
  });
  deps.events?.usersChanged([userId]);
}

interface MembersShape {
  scope: "organization" | "space";
  cursor: boolean;
}

/**
 * A member list in the people's order (created_at, id), read from the membership's own copies of
 * its user's created_at and kind: the scope's list index (scope id, user_created_at, user_id) where
 * user_kind = 'human' serves the order, the cursor (a row comparison) and the filter, and each of the
 * page's rows joins its user by primary key, whatever the scope's or the account's size.
 */
const membersQuery = preparedPerDatabase(
  "keydesk_list_members",
  (shape: MembersShape) => `${shape.scope}${shape.cursor ? "_cursor" : ""}`,
  (db: Db, shape: MembersShape, name: string) => {
    const p = sql.placeholder;
    const table = shape.scope === "organization" ? organizationMemberships : spaceMemberships;
    const scopeColumn =
      shape.scope === "organization" ? organizationMemberships.organizationId : spaceMemberships.spaceId;
    const where: SQL[] = [eq(scopeColumn, p("scopeId")), eq(table.userKind, "human")];
    if (shape.cursor)
      where.push(
        sql`(${table.userCreatedAt}, ${table.userId}) > (${p("cursorAt")}::timestamptz, ${p("cursorId")}::uuid)`,
      );
    return db
      .select({
        userId: table.userId,
        createdAt: table.userCreatedAt,
        role: table.role,
        name: users.name,
        email: users.email,
        status: users.status,
        inviteExpiresAt: users.inviteExpiresAt,
      })
      .from(table)
      .innerJoin(users, eq(users.id, table.userId))
      .where(and(...where))
      .orderBy(asc(table.userCreatedAt), asc(table.userId))
      .limit(p("limit"))
      .prepare(name);
  },
);

/** [ext] The people holding a role in an organization or a space, oldest account first. */
export async function listMembers(
  deps: DirectoryDeps,
  input: Actor & { scope: "organization" | "space"; id: string | null; limit: number; cursor?: string },
): Promise<Page<MembershipView>> {
  const scopeId =
    input.scope === "organization"
      ? (await readVisibleOrganization(deps.db, input.principal, input.id)).id
      : (await readVisibleSpace(deps.db, input.principal, input.id)).id;
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const now = deps.clock.now();
  const values: Record<string, unknown> = { scopeId, limit: input.limit + 1 };
  if (cursor) {
    values.cursorAt = cursor.createdAt.toISOString();
    values.cursorId = cursor.id;
  }
  const rows = await membersQuery(deps.db, { scope: input.scope, cursor: !!cursor }).execute(values);
  const page = toPage(rows, input.limit, (r) => ({ createdAt: r.createdAt, id: r.userId }));
  return {
    ...page,
    items: page.items.map((r) => ({
      scope: input.scope,
      scopeId,
      userId: r.userId,
      role: r.role,
      user: { name: r.name, email: r.email ?? "", status: statusOf(r, now) },
    })),
  };
}
