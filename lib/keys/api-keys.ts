import { randomUUID } from "node:crypto";
import { and, desc, eq, ilike, inArray, not, sql, type SQL } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import { preparedPerDatabase } from "../db/prepared";
import {
  apiKeys,
  apiKeySecrets,
  organizationMemberships,
  organizations,
  spaceMemberships,
  spaces,
  users,
} from "../db/schema";
import { writeAudit } from "../domain/audit";
import { enqueueKeyEvent } from "./key-events";
import { attachDetails, keyColumns, type ApiKeyView, type KeyType, type ServiceKeyRoles } from "./key-view";
import {
  conflict,
  DomainError,
  forbidden,
  invalid,
  notFound,
  rateLimited,
  roleAboveCap,
  unauthenticated,
} from "../domain/errors";
import { decodeId } from "../domain/ids";
import { decodeCursor, toPage, type Page } from "../domain/pagination";
import { findSpace, isAccountAdmin, reachableSpaceIds, type Principal } from "../auth/principal";
import type { RateLimiter, RateLimitRule } from "../domain/rate-limit";
import {
  grantsWithinCaps,
  mayCreateServiceKey,
  mayManageServiceKey,
  mayRefreshUserKey,
  mayRevokeUserKey,
  type KeyGrants,
} from "../roles/roles";
import type { Decision } from "../roles/decision";
import type { AccountRole, ScopeRole } from "../roles/names";
import { lockAccess } from "../auth/access";
import { digestKey, generateKey, redactKey } from "./secrets";
import { assertLifetimeWithinPolicy } from "./policy";
import {
  keyStatusConditions,
  keyStatusShape,
  statusNeedsNow,
  type KeyStatusInput,
  type KeyStatusShape,
} from "./key-status";

/**
 * Every role a service key's bot user holds: one account role, and a role in each organization and
 * space it was given (generation D's clients bind one key to several organizations and spaces; the
 * older body is the case of one space and its organization). Internal ids.
 */
export type ServiceKeyGrants = KeyGrants;

/** Generation D's service-key body, as asked: public ids, roles optional (defaults as for `roles`). */
interface ServiceKeyAssignment {
  accountRole?: AccountRole;
  organizations: { orgId: string; role?: ScopeRole; spaces: { spaceId: string; role?: ScopeRole }[] }[];
}

/**
 * How a role above the caller's own is refused: 400 (the seeds' contract, and generations A–C) or
 * 422 (generation D's contract).
 */
type AboveCapRefusal = "invalid" | "unprocessable";

export interface KeyPolicy {
  /** Creates and refreshes allowed per caller per window. */
  changesPerCaller: RateLimitRule;
}

export const defaultKeyPolicy: KeyPolicy = { changesPerCaller: { limit: 60, windowMs: 60_000 } };

/** Told after a change commits, so caches of verified keys can drop what changed. */
export interface KeyEvents {
  keysChanged(keyIds: string[]): void;
  /** `count` keys created, refreshed or revoked, committed (metrics). */
  committed?(action: "create" | "refresh" | "revoke", count: number): void;
}

export interface KeyDeps {
  db: Db;
  clock: Clock;
  limiter: RateLimiter;
  policy: KeyPolicy;
  events?: KeyEvents;
}

interface Actor {
  principal: Principal;
  clientAddress?: string | null;
}

const DEFAULT_ROLES: ServiceKeyRoles = { spaceRole: "member", orgRole: "read-only", accountRole: "member" };

// ── Rules: who may see and act on which key ─────────────────────────────────────────────────────

/** A loaded key with every space its bot is bound to (service keys; the key's own space first). */
export type BoundKey = ApiKeyView & { boundSpaceIds: string[] };

/** Not visible means not found: the caller learns nothing about keys they cannot see. */
export function canSee(principal: Principal, key: BoundKey): boolean {
  if (key.accountId !== principal.user.accountId) return false;
  if (key.keyType === "user") return key.userId === principal.user.id || isAccountAdmin(principal);
  return key.boundSpaceIds.some((id) => findSpace(principal, id) !== null);
}

function assertAllowed(decision: Decision): void {
  if (!decision.allowed) throw forbidden(decision.reason);
}

function assertMayRevoke(principal: Principal, key: BoundKey): void {
  if (key.keyType === "user") {
    assertAllowed(mayRevokeUserKey(key.userId === principal.user.id, isAccountAdmin(principal)));
    return;
  }
  assertMayManageServiceKey(principal, key, "revoke");
}

/**
 * Admins of every space the key is bound to may act on it; otherwise the caller must be a member of
 * every one of them and the key's creator (the rule lives in lib/roles, applied to each space).
 */
function assertMayManageServiceKey(principal: Principal, key: BoundKey, verb: "revoke" | "refresh"): void {
  const spaces = key.boundSpaceIds.map((id) => findSpace(principal, id));
  if (!spaces.some((s) => s !== null)) throw notFound();
  const creator = key.createdByUserId === principal.user.id;
  for (const space of spaces) {
    if (!space)
      throw forbidden(`This key is bound to a space you cannot access; only its admins can ${verb} it.`);
    assertAllowed(mayManageServiceKey(space, creator, verb));
  }
}

/**
 * Each role at most the caller's effective role at that scope (the rule lives in lib/roles): the
 * account, every organization the grants name — with or without a space of it — and every space. On
 * create a role above the cap is a 400 (422 for generation D); on refresh a 403, since rotation never
 * hands a secret to someone who could not have created the key. A scope the caller cannot reach is
 * above any cap: on create it is not found (the caller named it), on refresh a 403.
 */
function assertWithinCaps(
  principal: Principal,
  grants: ServiceKeyGrants,
  mode: "create" | "refresh",
  refusal: AboveCapRefusal = "invalid",
): void {
  const { violations, unreachable } = grantsWithinCaps(grants, {
    account_role: principal.user.accountRole,
    organizations: principal.organizations,
  });
  if (unreachable) {
    const what = unreachable.scope === "space" ? "space" : "organization";
    if (mode === "create") throw notFound(`No ${what} with that id, or you cannot access it.`);
    throw forbidden(
      `This key holds a role in ${unreachable.scope === "space" ? "a space" : "an organization"} you cannot access; only its admins can refresh it.`,
    );
  }
  const [first] = violations;
  if (!first) return;
  const { field, asked, cap, where } = first;
  if (mode === "refresh")
    throw forbidden(
      `This key's ${field} "${asked}" is above your own role in ${where} ("${cap}"); only someone with at least that role can refresh it.`,
    );
  throw roleAboveCap(
    `${field} "${asked}" is above your own role in ${where} ("${cap}"); choose "${cap}" or lower.`,
    violations.map((v) => ({ field: `roles.${v.field}`, message: v.reason })),
    refusal,
  );
}

/**
 * The caller as committed now, read in the write's own transaction with their user row share-locked
 * (`lockAccess` in lib/auth/access.ts): the roles read when the request authenticated may be older than a
 * demotion that has committed since, and no demotion can commit between this read and the write.
 * Key management only — verification (the hot path) keeps its cached principal.
 */
export async function currentPrincipal(tx: DbOrTx, principal: Principal): Promise<Principal> {
  const access = await lockAccess(tx, principal.user.id);
  if (!access) throw unauthenticated();
  return { ...principal, user: access.user, organizations: access.organizations };
}

async function hitChangeLimit(deps: KeyDeps, principal: Principal): Promise<void> {
  const rule = deps.policy.changesPerCaller;
  const state = await deps.limiter.hit(`keys:change:${principal.user.id}`, rule);
  if (state.count > rule.limit) throw rateLimited(state.retryAfterSeconds);
}

function assertFuture(deps: KeyDeps, expiresAt: Date | undefined): void {
  if (expiresAt && expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw invalid("`expires_at` must be in the future.", "expires_at");
  }
}

// ── Create ──────────────────────────────────────────────────────────────────────────────────────

export interface CreateKeyInput extends Actor {
  name: string;
  description?: string;
  keyType: KeyType;
  expiresAt?: Date;
  /** Public space id, service keys only (generations A–C and the default dialect). */
  spaceId?: string;
  roles?: Partial<ServiceKeyRoles>;
  /** Generation D's service-key body: several organizations and spaces. Instead of `spaceId`. */
  assignment?: ServiceKeyAssignment;
  /** How a role above the caller's own is refused (default 400). */
  aboveCap?: AboveCapRefusal;
}

/** The roles a service key asks for, checked against what the caller can reach (defaults filled in). */
function resolveGrants(principal: Principal, input: CreateKeyInput): ServiceKeyGrants {
  if (!input.assignment) {
    const spaceId = input.spaceId ? decodeId("Space", input.spaceId) : null;
    const space = spaceId ? findSpace(principal, spaceId) : null;
    if (!spaceId || !space) throw notFound("No space with that id, or you cannot access it.");
    const roles: ServiceKeyRoles = { ...DEFAULT_ROLES, ...stripUndefined(input.roles ?? {}) };
    return {
      accountRole: roles.accountRole,
      organizations: [
        { id: space.organization.id, role: roles.orgRole, spaces: [{ id: spaceId, role: roles.spaceRole }] },
      ],
    };
  }
  const seen = new Set<string>();
  const organizations = input.assignment.organizations.map((asked) => {
    const orgId = decodeId("Organization", asked.orgId);
    const organization = orgId ? principal.organizations.find((o) => o.id === orgId) : undefined;
    if (!orgId || !organization) throw notFound("No organization with that id, or you cannot access it.");
    if (seen.has(orgId)) throw invalid(`Organization ${organization.name} is listed twice.`, "organizations");
    seen.add(orgId);
    if (asked.spaces.length === 0)
      throw invalid(`List at least one space of organization ${organization.name}.`, "organizations");
    const spaces = asked.spaces.map((s) => {
      const spaceId = decodeId("Space", s.spaceId);
      const space = spaceId ? findSpace(principal, spaceId) : null;
      if (!spaceId || !space) throw notFound("No space with that id, or you cannot access it.");
      if (space.organization.id !== orgId)
        throw invalid(
          `Space ${space.name} belongs to organization ${space.organization.name}, not ${organization.name}.`,
          "organizations",
        );
      if (seen.has(spaceId)) throw invalid(`Space ${space.name} is listed twice.`, "organizations");
      seen.add(spaceId);
      return { id: spaceId, role: s.role ?? DEFAULT_ROLES.spaceRole };
    });
    return { id: orgId, role: asked.role ?? DEFAULT_ROLES.orgRole, spaces };
  });
  if (organizations.length === 0) throw invalid("List at least one organization.", "organizations");
  return { accountRole: input.assignment.accountRole ?? DEFAULT_ROLES.accountRole, organizations };
}

/**
 * Creates a key and returns it with its raw secret, which exists nowhere else; for a service key
 * also the roles its bot user was given.
 */
export async function createApiKey(
  deps: KeyDeps,
  input: CreateKeyInput,
): Promise<{ key: ApiKeyView; secret: string; grants?: ServiceKeyGrants }> {
  const { principal } = input;
  if (input.keyType === "user") {
    if (principal.user.kind !== "human") throw forbidden("Service keys cannot create user keys.");
  } else {
    // Checked here so that a refused caller does not count against the limit, and again in the write.
    checkedGrants(principal, input);
  }
  assertFuture(deps, input.expiresAt);
  await hitChangeLimit(deps, principal);

  const now = deps.clock.now();
  const secret = generateKey();
  const keyId = randomUUID();
  const key: ApiKeyView = {
    id: keyId,
    accountId: principal.user.accountId,
    keyType: input.keyType,
    name: input.name,
    description: input.description || null,
    status: "active",
    redactedKey: redactKey(secret),
    createdAt: now,
    expiresAt: input.expiresAt ?? null,
    lastUsedAt: null,
    createdByUserId: principal.user.id,
    userId: principal.user.id,
    spaceId: null,
  };

  const service = await deps.db.transaction(async (tx) => {
    // The bot's roles against the caller's roles as they are now, not as they were when the request
    // authenticated (issue 16, 14a); a user key carries its user's own roles, whatever they become.
    const service =
      input.keyType === "service" ? checkedGrants(await currentPrincipal(tx, principal), input) : undefined;
    if (service) await holdScopes(tx, service);
    // The account's lifetime cap (lifecycle.md §3), on every path and dialect.
    await assertLifetimeWithinPolicy({
      tx,
      accountId: key.accountId,
      keyType: key.keyType,
      expiresAt: key.expiresAt,
      now,
    });
    key.spaceId = service?.organizations[0]?.spaces[0]?.id ?? null;
    if (service) {
      // A service key acts as a new bot user holding exactly the requested roles.
      key.userId = randomUUID();
      const botId = key.userId;
      await tx.insert(users).values({
        id: botId,
        accountId: key.accountId,
        kind: "bot",
        name: input.name,
        accountRole: service.accountRole,
        createdAt: now,
      });
      const asBot = { userId: botId, userCreatedAt: now, userKind: "bot" as const };
      await tx
        .insert(organizationMemberships)
        .values(service.organizations.map((o) => ({ ...asBot, organizationId: o.id, role: o.role })));
      await tx
        .insert(spaceMemberships)
        .values(
          service.organizations.flatMap((o) =>
            o.spaces.map((sp) => ({ ...asBot, spaceId: sp.id, role: sp.role })),
          ),
        );
    }
    await tx.insert(apiKeys).values({ ...key, lastUsedAt: undefined });
    await tx.insert(apiKeySecrets).values({
      id: randomUUID(),
      apiKeyId: keyId,
      digest: digestKey(secret),
      isCurrent: true,
      createdAt: now,
      expiresAt: key.expiresAt,
    });
    await writeAudit(tx, {
      at: now,
      accountId: key.accountId,
      actorUserId: principal.user.id,
      actorCredential: principal.credential.type,
      action: "api_key.create",
      targetType: "api_key",
      targetId: keyId,
      clientAddress: input.clientAddress,
      details: {
        key_type: key.keyType,
        ...(service ? auditGrants(service) : {}),
      },
    });
    await enqueueKeyEvent(tx, deps.clock, { keyId, type: "API_KEY_CREATED", at: now });
    return service;
  });
  deps.events?.committed?.("create", 1);
  return { key, secret, ...(service ? { grants: service } : {}) };
}

/**
 * Holds the key's organizations and spaces against deletion until it commits, in the order a delete
 * takes its locks (the caller's row, then the organization, then its spaces), so neither waits for
 * the other in a circle: a delete waits, then counts the new key as bound there; a scope deleted since
 * the caller's roles were read is not found — not a foreign-key failure at the insert.
 */
async function holdScopes(tx: DbOrTx, grants: ServiceKeyGrants): Promise<void> {
  const orgIds = grants.organizations.map((o) => o.id);
  const heldOrgs = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(inArray(organizations.id, orgIds))
    .orderBy(organizations.id)
    .for("key share");
  if (heldOrgs.length < orgIds.length)
    throw notFound("No organization with that id, or you cannot access it.");
  const spaceIds = grants.organizations.flatMap((o) => o.spaces.map((s) => s.id));
  const heldSpaces = await tx
    .select({ id: spaces.id })
    .from(spaces)
    .where(inArray(spaces.id, spaceIds))
    .orderBy(spaces.id)
    .for("key share");
  if (heldSpaces.length < spaceIds.length) throw notFound("No space with that id, or you cannot access it.");
}

/** A service key's grants as asked, each space allowing the caller to create one, within the caps. */
function checkedGrants(principal: Principal, input: CreateKeyInput): ServiceKeyGrants {
  const grants = resolveGrants(principal, input);
  for (const organization of grants.organizations) {
    for (const { id } of organization.spaces) {
      const space = findSpace(principal, id);
      if (space) assertAllowed(mayCreateServiceKey(space.role));
    }
  }
  assertWithinCaps(principal, grants, "create", input.aboveCap);
  return grants;
}

/** The audit row's view of a bot's roles: flat for one space (as before), counted and listed for more. */
function auditGrants(grants: ServiceKeyGrants): Record<string, string | number> {
  const spaces = grants.organizations.flatMap((o) => o.spaces.map((s) => ({ ...s, orgRole: o.role })));
  const [first] = spaces;
  if (spaces.length === 1 && first)
    return {
      space_id: first.id,
      space_role: first.role,
      org_role: first.orgRole,
      account_role: grants.accountRole,
    };
  return {
    account_role: grants.accountRole,
    organizations: grants.organizations.map((o) => `${o.id}:${o.role}`).join(","),
    spaces: spaces.map((s) => `${s.id}:${s.role}`).join(","),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ── List ────────────────────────────────────────────────────────────────────────────────────────

export interface ListKeysInput {
  principal: Principal;
  keyType?: KeyType;
  /** `expired`: active keys past their expiry; `usable`: active and not expired; `all`: any status. Default `active`. */
  status?: KeyStatusInput;
  /** Public ids, as given. */
  spaceId?: string;
  userId?: string;
  name?: string;
  limit: number;
  cursor?: string;
  includeDetails?: boolean;
}

/** Newest first, keyset-paged on (created_at, id), with the contract's visibility rules. */
export async function listApiKeys(deps: KeyDeps, input: ListKeysInput): Promise<Page<ApiKeyView>> {
  const { principal } = input;
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  // Which filters apply (the query's shape) and their values; see `listQuery`.
  const status = input.status ?? "active";
  const shape: ListShape = {
    status: keyStatusShape(status),
    name: !!input.name,
    cursor: !!cursor,
  };
  const values: ListValues = { accountId: principal.user.accountId, limit: input.limit + 1 };
  if (shape.status === "one") values.status = status;
  // Valid iff now < expires_at, so expired iff expires_at <= now.
  if (statusNeedsNow(shape.status)) values.now = deps.clock.now().toISOString();

  if (input.spaceId !== undefined) {
    if (input.keyType === "user")
      throw invalid("`space_id` lists service keys; user keys have no space.", "space_id");
    const spaceId = decodeId("Space", input.spaceId);
    if (!spaceId || !findSpace(principal, spaceId))
      throw notFound("No space with that id, or you cannot access it.");
    shape.scope = "space";
    values.spaceId = spaceId;
    if (input.userId !== undefined) {
      // With a space, `user_id` filters service keys by their creator (any caller with space access).
      const creator = decodeId("User", input.userId);
      if (!creator) return { items: [] };
      shape.creator = true;
      values.creator = creator;
    }
  } else if (input.userId !== undefined) {
    const target = decodeId("User", input.userId);
    if (target !== principal.user.id && !isAccountAdmin(principal))
      throw forbidden("Only account admins can list another user's keys.");
    if (input.keyType === "service") {
      // Service keys that user created, in spaces the caller can reach.
      const ids = reachableSpaceIds(principal);
      if (!target || ids.length === 0) return { items: [] };
      shape.scope = "spaces";
      shape.creator = true;
      values.spaceIds = ids;
      values.creator = target;
    } else {
      if (!target) return { items: [] };
      shape.scope = "user";
      values.userId = target;
    }
  } else if (input.keyType === "service") {
    const ids = reachableSpaceIds(principal);
    if (ids.length === 0) return { items: [] };
    shape.scope = "spaces";
    values.spaceIds = ids;
  } else {
    shape.scope = "user";
    values.userId = principal.user.id;
  }

  if (input.name) values.name = `%${input.name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  if (cursor) {
    values.cursorAt = cursor.createdAt.toISOString();
    values.cursorId = cursor.id;
  }

  const rows: ApiKeyView[] = await listQuery(deps.db, shape).execute(values);
  const page = toPage(rows, input.limit, (r) => r);
  if (input.includeDetails) await attachDetails(deps.db, deps.clock, page.items);
  return page;
}

interface ListShape {
  /** Whose keys: one user's user keys, one space's service keys, or service keys of several spaces. */
  scope?: "user" | "space" | "spaces";
  /** One status (a placeholder), active keys past their expiry or not, or every status. */
  status: KeyStatusShape;
  /** Filtered by creator. */
  creator?: boolean;
  name: boolean;
  cursor: boolean;
}

interface ListValues {
  [placeholder: string]: unknown;
  accountId: string;
  limit: number;
}

/**
 * The listing query of one shape, built once per database handle and run as a prepared statement with
 * placeholders for every value: building a Drizzle query on every request (its `is()` checks walk
 * class chains) was ~15 % of a listing's CPU profile (issue 11). A handful of shapes exist.
 */
function buildListQuery(db: Db, shape: Required<Pick<ListShape, "scope">> & ListShape, name: string) {
  const p = sql.placeholder;
  const where: SQL[] = [eq(apiKeys.accountId, p("accountId"))];
  where.push(...keyStatusConditions(shape.status));
  if (shape.scope === "user") where.push(eq(apiKeys.userId, p("userId")), eq(apiKeys.keyType, "user"));
  // A service key is in a space when it was made there, or when its bot was also bound to it
  // (generation D's keys across several spaces). Written out qualified: inside the subquery an
  // unqualified "user_id" would be the membership's own.
  if (shape.scope === "space")
    where.push(
      eq(apiKeys.keyType, "service"),
      sql`(${apiKeys.spaceId} = ${p("spaceId")} or exists (select 1 from "space_memberships" as "bound"
        where "bound"."user_id" = "api_keys"."user_id" and "bound"."space_id" = ${p("spaceId")}))`,
    );
  if (shape.scope === "spaces")
    where.push(
      eq(apiKeys.keyType, "service"),
      sql`(${apiKeys.spaceId} = any(${p("spaceIds")}::uuid[]) or exists (select 1 from "space_memberships" as "bound"
        where "bound"."user_id" = "api_keys"."user_id" and "bound"."space_id" = any(${p("spaceIds")}::uuid[])))`,
    );
  if (shape.creator) where.push(eq(apiKeys.createdByUserId, p("creator")));
  if (shape.name) where.push(ilike(apiKeys.name, sql`${p("name")}`));
  if (shape.cursor)
    where.push(
      sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${p("cursorAt")}::timestamptz, ${p("cursorId")}::uuid)`,
    );
  return db
    .select(keyColumns)
    .from(apiKeys)
    .where(and(...where))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(p("limit"))
    .prepare(name);
}

const listQuery = preparedPerDatabase(
  "keydesk_list_keys",
  (shape: ListShape) =>
    `${shape.scope ?? "user"}${shape.status === "one" ? "" : `_${shape.status}`}${shape.creator ? "_creator" : ""}${
      shape.name ? "_name" : ""
    }${shape.cursor ? "_cursor" : ""}`,
  (db, shape, name) => buildListQuery(db, { ...shape, scope: shape.scope ?? "user" }, name),
);

// ── Revoke ──────────────────────────────────────────────────────────────────────────────────────

export async function loadVisibleKey(
  tx: DbOrTx,
  principal: Principal,
  keyId: string | null,
  lock: boolean,
): Promise<BoundKey> {
  if (!keyId) throw notFound();
  const query = tx.select(keyColumns).from(apiKeys).where(eq(apiKeys.id, keyId));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound();
  const key: BoundKey = { ...row, boundSpaceIds: row.spaceId ? [row.spaceId] : [] };
  if (row.keyType === "service") {
    const bound = await tx
      .select({ spaceId: spaceMemberships.spaceId })
      .from(spaceMemberships)
      .where(eq(spaceMemberships.userId, row.userId));
    for (const { spaceId } of bound)
      if (!key.boundSpaceIds.includes(spaceId)) key.boundSpaceIds.push(spaceId);
  }
  if (!canSee(principal, key)) throw notFound();
  return key;
}

/**
 * Immediate for every secret of the key (verification checks the key's status), idempotent, and a
 * conditional update so that of two racing revokes exactly one writes the change and its audit row.
 */
export async function revokeApiKey(deps: KeyDeps, input: Actor & { keyId: string }): Promise<void> {
  const { principal } = input;
  const keyId = decodeId("ApiKey", input.keyId);
  const changed = await deps.db.transaction(async (tx) => {
    const current = await currentPrincipal(tx, principal);
    return revokeKeyInTransaction(tx, deps, { ...input, current, keyId });
  });
  if (changed && keyId) {
    deps.events?.keysChanged([keyId]);
    deps.events?.committed?.("revoke", 1);
  }
}

/**
 * One key's revocation inside the caller's transaction, the caller's roles already re-read there
 * (`current`): the rules, the conditional update and its audit row. Revoking one key and revoking many
 * (lib/keys/inventory.ts) both go through here. Answers whether this call revoked it (false: it was
 * already revoked); refusals throw, so a caller's transaction rolls back whole.
 */
export async function revokeKeyInTransaction(
  tx: DbOrTx,
  deps: Pick<KeyDeps, "clock">,
  input: Actor & { current: Principal; keyId: string | null },
): Promise<boolean> {
  const { principal, current, keyId } = input;
  const key = await loadVisibleKey(tx, current, keyId, false);
  assertMayRevoke(current, key);
  const now = deps.clock.now();
  const updated = await tx
    .update(apiKeys)
    .set({
      status: "revoked",
      revokedAt: now,
      revokedByUserId: principal.user.id,
      revocationReason: "manual",
    })
    .where(and(eq(apiKeys.id, key.id), eq(apiKeys.status, "active")))
    .returning({ id: apiKeys.id });
  if (updated.length === 0) return false;
  await writeAudit(tx, {
    at: now,
    accountId: key.accountId,
    actorUserId: principal.user.id,
    actorCredential: principal.credential.type,
    action: "api_key.revoke",
    targetType: "api_key",
    targetId: key.id,
    clientAddress: input.clientAddress,
    details: { key_type: key.keyType, reason: "manual" },
  });
  await enqueueKeyEvent(tx, deps.clock, { keyId: key.id, type: "API_KEY_REVOKED", at: now });
  return true;
}

// ── Refresh ─────────────────────────────────────────────────────────────────────────────────────

export interface RefreshKeyInput extends Actor {
  keyId: string;
  expiresAt?: Date;
  graceSeconds?: number;
  /**
   * Generations C and D: a refresh may not lengthen a key's life. A key with an expiry needs an
   * `expires_at` no later than it (422 otherwise). By default the new expiry is whatever is asked.
   */
  noLongerLife?: boolean;
}

function assertNoLongerLife(key: ApiKeyView, input: RefreshKeyInput): void {
  if (!input.noLongerLife || !key.expiresAt) return;
  const old = key.expiresAt.toISOString();
  if (!input.expiresAt)
    throw new DomainError(
      "unprocessable",
      `This key expires at ${old}; give an \`expires_at\` no later than that (without one the refreshed key would never expire).`,
      { field: "expires_at" },
    );
  if (input.expiresAt.getTime() > key.expiresAt.getTime())
    throw new DomainError(
      "unprocessable",
      `\`expires_at\` may not be later than the key's current expiry (${old}); create a new key for a longer life.`,
      { field: "expires_at" },
    );
}

/**
 * A new secret for the same key. The previous one lives until min(now + grace, its old expiry). One
 * transaction under a row lock: at no moment does neither secret work, a failure changes nothing,
 * and racing refreshes run one after the other, each keeping the other's grace rules.
 */
export async function refreshApiKey(
  deps: KeyDeps,
  input: RefreshKeyInput,
): Promise<{ key: ApiKeyView; secret: string }> {
  const { principal } = input;
  const keyId = decodeId("ApiKey", input.keyId);
  // Rules that need no lock are checked first, so a refused caller does not count against the limit.
  const visible = await loadVisibleKey(deps.db, principal, keyId, false);
  await assertMayRefresh(deps.db, principal, visible);
  assertFuture(deps, input.expiresAt);
  if (visible.status === "revoked") throw revokedConflict();
  assertNoLongerLife(visible, input);
  await hitChangeLimit(deps, principal);

  const secret = generateKey();
  const key = await deps.db.transaction(async (tx) => {
    // The caller's roles now (issue 16, 14a), locked before the key's row like every role change does.
    const caller = await currentPrincipal(tx, principal);
    const key = await loadVisibleKey(tx, caller, keyId, true);
    if (key.status === "revoked") throw revokedConflict();
    await assertMayRefresh(tx, caller, key);
    assertNoLongerLife(key, input);
    const now = deps.clock.now();
    // The refreshed key's new expiry under the account's lifetime cap (lifecycle.md §3).
    await assertLifetimeWithinPolicy({
      tx,
      accountId: key.accountId,
      keyType: key.keyType,
      expiresAt: input.expiresAt ?? null,
      now,
    });
    const graceEnd = new Date(now.getTime() + (input.graceSeconds ?? 0) * 1000);

    const [current] = await tx
      .select({ id: apiKeySecrets.id, expiresAt: apiKeySecrets.expiresAt })
      .from(apiKeySecrets)
      .where(and(eq(apiKeySecrets.apiKeyId, key.id), eq(apiKeySecrets.isCurrent, true)));
    const oldEnd = current?.expiresAt && current.expiresAt < graceEnd ? current.expiresAt : graceEnd;
    // At most two secrets live at any moment: the new one and the one it replaces (for its grace).
    // Older ones, still in an earlier refresh's grace, end now — a refresh with grace 0 after one
    // with a long grace once left the oldest secret alive.
    await tx
      .delete(apiKeySecrets)
      .where(and(eq(apiKeySecrets.apiKeyId, key.id), not(apiKeySecrets.isCurrent)));
    if (current) {
      await tx
        .update(apiKeySecrets)
        .set({ isCurrent: false, expiresAt: oldEnd })
        .where(eq(apiKeySecrets.id, current.id));
    }
    await tx.insert(apiKeySecrets).values({
      id: randomUUID(),
      apiKeyId: key.id,
      digest: digestKey(secret),
      isCurrent: true,
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
    });
    const redactedKey = redactKey(secret);
    const expiresAt = input.expiresAt ?? null;
    // A new rotation: whether the old secret is still used is asked afresh (keypage, issue 18 §1).
    await tx
      .update(apiKeys)
      .set({ redactedKey, expiresAt, refreshedAt: now, previousSecretLastUsedAt: null })
      .where(eq(apiKeys.id, key.id));
    await writeAudit(tx, {
      at: now,
      accountId: key.accountId,
      actorUserId: principal.user.id,
      actorCredential: principal.credential.type,
      action: "api_key.refresh",
      targetType: "api_key",
      targetId: key.id,
      clientAddress: input.clientAddress,
      details: { key_type: key.keyType, grace_period_seconds: input.graceSeconds ?? 0 },
    });
    await enqueueKeyEvent(tx, deps.clock, { keyId: key.id, type: "API_KEY_REFRESHED", at: now });
    const { boundSpaceIds: _bound, ...view } = key;
    return { ...view, redactedKey, expiresAt };
  });
  deps.events?.keysChanged([key.id]);
  deps.events?.committed?.("refresh", 1);
  return { key, secret };
}

const revokedConflict = () =>
  conflict("This key is revoked; revoked keys cannot be refreshed. Create a new key.");

/** Rotation never hands a secret to someone who could not have created the key. */
async function assertMayRefresh(db: DbOrTx, principal: Principal, key: BoundKey): Promise<void> {
  if (key.keyType === "user") {
    assertAllowed(mayRefreshUserKey(key.userId === principal.user.id));
    return;
  }
  assertMayManageServiceKey(principal, key, "refresh");
  assertWithinCaps(principal, await botGrants(db, key.userId), "refresh");
}

/** The roles a service key's bot holds now. A role it no longer holds (it was blocked) asks nothing. */
async function botGrants(db: DbOrTx, botUserId: string): Promise<ServiceKeyGrants> {
  return (await botGrantsOf(db, [botUserId])).get(botUserId) ?? { accountRole: "member", organizations: [] };
}

/**
 * Every role each of these bots holds now — its account role, each organization (with or without a
 * space of it) and each space — in three queries whatever their number. A blocked bot, which has lost
 * its memberships, has no organization.
 */
export async function botGrantsOf(db: DbOrTx, botIds: string[]): Promise<Map<string, ServiceKeyGrants>> {
  const grants = new Map<string, ServiceKeyGrants>();
  if (botIds.length === 0) return grants;
  // One after the other: inside a transaction they share one connection.
  const bots = await db
    .select({ id: users.id, accountRole: users.accountRole })
    .from(users)
    .where(inArray(users.id, botIds));
  const orgRows = await db
    .select({
      userId: organizationMemberships.userId,
      id: organizationMemberships.organizationId,
      role: organizationMemberships.role,
    })
    .from(organizationMemberships)
    .where(inArray(organizationMemberships.userId, botIds));
  const spaceRows = await db
    .select({
      userId: spaceMemberships.userId,
      id: spaceMemberships.spaceId,
      role: spaceMemberships.role,
      organizationId: spaces.organizationId,
    })
    .from(spaceMemberships)
    .innerJoin(spaces, eq(spaces.id, spaceMemberships.spaceId))
    .where(inArray(spaceMemberships.userId, botIds));
  const organizations = new Map<string, ServiceKeyGrants["organizations"][number]>();
  for (const bot of bots) grants.set(bot.id, { accountRole: bot.accountRole, organizations: [] });
  for (const o of orgRows) {
    const organization = { id: o.id, role: o.role, spaces: [] };
    organizations.set(`${o.userId}:${o.id}`, organization);
    grants.get(o.userId)?.organizations.push(organization);
  }
  for (const s of spaceRows) {
    let organization = organizations.get(`${s.userId}:${s.organizationId}`);
    if (!organization) {
      // A space role without one in its organization: the organization asks nothing of the caller.
      organization = { id: s.organizationId, role: "read-only", spaces: [] };
      organizations.set(`${s.userId}:${s.organizationId}`, organization);
      grants.get(s.userId)?.organizations.push(organization);
    }
    organization.spaces.push({ id: s.id, role: s.role });
  }
  return grants;
}
