import { and, desc, eq, gt, lt, or, isNull, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { preparedPerDatabase } from "../db/prepared";
import { apiKeys, spaces, users } from "../db/schema";
import {
  keyStatusConditions,
  keyStatusShape,
  statusNeedsNow,
  type KeyStatusInput,
  type KeyStatusShape,
} from "./key-status";
import { DomainError, forbidden } from "../domain/errors";
import { decodeId } from "../domain/ids";
import { decodeCursor, toPage, type Page } from "../domain/pagination";
import type { Principal } from "../auth/principal";
import { mayListAccountKeys } from "../roles/inventory";
import { readKeyPolicy } from "./policy";
import { currentPrincipal, revokeKeyInTransaction, type KeyDeps } from "./api-keys";
import { keyColumns, type ApiKeyView } from "./key-view";

/** A key of the account's inventory: the key, its owner (the person who made it) and its space's name. */
export type InventoryKey = ApiKeyView & {
  owner: { id: string; name: string; email: string | null };
  spaceName: string | null;
};

export interface ListAccountKeysInput {
  principal: Principal;
  keyType?: "user" | "service";
  /** `expired`: active keys past their expiry; `usable`: active and not expired; `all`: any status. Default `active`. */
  status?: KeyStatusInput;
  /** Public user id: keys that person made (their user keys and the service keys they created). */
  ownerId?: string;
  /** Keys with an expiry before this moment (already expired ones included). */
  expiresBefore?: Date;
  /** Keys last used before this moment, and never-used keys created before it. */
  unusedSince?: Date;
  /** Keys the account's key policy would refuse today: no expiry, or one beyond its longest lifetime from now. */
  exceedsPolicy?: boolean;
  name?: string;
  limit: number;
  cursor?: string;
}

/**
 * Every key of every person and space in the caller's account (account admins only), newest first,
 * keyset-paged on (created_at, id) like the other lists. A key's owner is the person who made it:
 * for a user key that is the person it acts as, for a service key its creator.
 */
export async function listAccountKeys(
  deps: KeyDeps,
  input: ListAccountKeysInput,
): Promise<Page<InventoryKey>> {
  const { principal } = input;
  const may = mayListAccountKeys(principal.user.accountRole);
  if (!may.allowed) throw forbidden(may.reason);
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const status = input.status ?? "active";
  const now = deps.clock.now();
  // Each key type with a cap gets a cut-off: a key expiring later (or never) exceeds the policy.
  const cutoffs = { user: null as Date | null, service: null as Date | null };
  if (input.exceedsPolicy) {
    const policy = await readKeyPolicy({ db: deps.db, accountId: principal.user.accountId });
    for (const type of ["user", "service"] as const) {
      const days = policy.max_lifetime_days[type];
      if (days !== null) cutoffs[type] = new Date(now.getTime() + days * 86_400_000);
    }
    if (!cutoffs.user && !cutoffs.service) return { items: [] };
  }
  const shape: InventoryShape = {
    status: keyStatusShape(status),
    keyType: !!input.keyType,
    owner: input.ownerId !== undefined,
    expiresBefore: !!input.expiresBefore,
    unusedSince: !!input.unusedSince,
    exceedsUser: !!cutoffs.user,
    exceedsService: !!cutoffs.service,
    name: !!input.name,
    cursor: !!cursor,
  };
  const values: Record<string, unknown> = { accountId: principal.user.accountId, limit: input.limit + 1 };
  if (shape.status === "one") values.status = status;
  if (statusNeedsNow(shape.status)) values.now = now.toISOString();
  if (cutoffs.user) values.userCutoff = cutoffs.user.toISOString();
  if (cutoffs.service) values.serviceCutoff = cutoffs.service.toISOString();
  if (input.keyType) values.keyType = input.keyType;
  if (input.ownerId !== undefined) {
    const owner = decodeId("User", input.ownerId);
    if (!owner) return { items: [] };
    values.owner = owner;
  }
  if (input.expiresBefore) values.expiresBefore = input.expiresBefore.toISOString();
  if (input.unusedSince) values.unusedSince = input.unusedSince.toISOString();
  if (input.name) values.name = `%${input.name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  if (cursor) {
    values.cursorAt = cursor.createdAt.toISOString();
    values.cursorId = cursor.id;
  }
  const rows = await inventoryQuery(deps.db, shape).execute(values);
  const keys: InventoryKey[] = rows.map(({ ownerName, ownerEmail, spaceName, ...key }) => {
    const owner = { id: key.createdByUserId, name: ownerName ?? "Unknown user", email: ownerEmail };
    return { ...key, owner, spaceName, details: { createdBy: owner, graceUntil: null } };
  });
  return toPage(keys, input.limit, (k) => k);
}

/** Which filters apply: each is one optional condition, so a new filter is one more flag and line. */
interface InventoryShape {
  status: KeyStatusShape;
  keyType: boolean;
  owner: boolean;
  expiresBefore: boolean;
  unusedSince: boolean;
  /** Exceeds policy: a cap on user keys, on service keys (a key of either type beyond its cap). */
  exceedsUser: boolean;
  exceedsService: boolean;
  name: boolean;
  cursor: boolean;
}

const inventoryQuery = preparedPerDatabase(
  "keydesk_inventory",
  (shape: InventoryShape) =>
    [
      shape.status,
      ...(
        [
          "keyType",
          "owner",
          "expiresBefore",
          "unusedSince",
          "exceedsUser",
          "exceedsService",
          "name",
          "cursor",
        ] as const
      ).filter((f) => shape[f]),
    ].join("_"),
  buildInventoryQuery,
);

/**
 * Served by `api_keys_inventory_idx` (account, created_at, id) in the list's order, or with an owner by
 * `api_keys_creator_idx` (created_by_user_id, created_at, id); the other filters are checked on the rows
 * it walks. Owner and space names come by primary key.
 */
function buildInventoryQuery(db: Db, shape: InventoryShape, name: string) {
  const p = sql.placeholder;
  const ts = (placeholder: string) => sql`${p(placeholder)}::timestamptz`;
  const where: (SQL | undefined)[] = [eq(apiKeys.accountId, p("accountId"))];
  where.push(...keyStatusConditions(shape.status));
  if (shape.keyType) where.push(eq(apiKeys.keyType, p("keyType")));
  if (shape.owner) where.push(eq(apiKeys.createdByUserId, p("owner")));
  if (shape.expiresBefore)
    where.push(isNotNull(apiKeys.expiresAt), lt(apiKeys.expiresAt, ts("expiresBefore")));
  // A key is used no earlier than it was made, so every unused key was made before the moment too:
  // said outright, that bound lets the index seek instead of walking every newer key.
  if (shape.unusedSince)
    where.push(
      lt(apiKeys.createdAt, ts("unusedSince")),
      or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, ts("unusedSince"))),
    );
  const beyond = (type: "user" | "service", cutoff: string) =>
    and(eq(apiKeys.keyType, type), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, ts(cutoff))));
  if (shape.exceedsUser || shape.exceedsService)
    where.push(
      or(
        shape.exceedsUser ? beyond("user", "userCutoff") : undefined,
        shape.exceedsService ? beyond("service", "serviceCutoff") : undefined,
      ),
    );
  if (shape.name) where.push(sql`${apiKeys.name} ilike ${p("name")}`);
  if (shape.cursor)
    where.push(sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${ts("cursorAt")}, ${p("cursorId")}::uuid)`);
  return db
    .select({
      ...keyColumns,
      ownerName: users.name,
      ownerEmail: users.email,
      spaceName: spaces.name,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
    .leftJoin(spaces, eq(spaces.id, apiKeys.spaceId))
    .where(and(...where))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(p("limit"))
    .prepare(name);
}

export interface RevokeApiKeysInput {
  principal: Principal;
  clientAddress?: string | null;
  /** Public ids, distinct (the schema checks). */
  ids: string[];
}

/**
 * Revokes many keys in one transaction, each by the same rules, update and audit row as revoking one
 * (`revokeKeyInTransaction`). Keys already revoked are skipped and not counted; a key the caller may
 * not revoke (or cannot see) refuses the whole request and nothing is revoked. In id order, so two
 * overlapping requests take their row locks in the same order.
 */
export async function revokeApiKeys(deps: KeyDeps, input: RevokeApiKeysInput): Promise<{ revoked: number }> {
  const { principal } = input;
  const keyIds = input.ids.map((id, index) => ({ id, index, keyId: decodeId("ApiKey", id) }));
  keyIds.sort((a, b) => (a.keyId ?? "").localeCompare(b.keyId ?? ""));
  const revoked = await deps.db.transaction(async (tx) => {
    const current = await currentPrincipal(tx, principal);
    const changed: string[] = [];
    for (const { id, index, keyId } of keyIds) {
      try {
        const didRevoke = await revokeKeyInTransaction(tx, deps, {
          principal,
          clientAddress: input.clientAddress,
          current,
          keyId,
        });
        if (didRevoke && keyId) changed.push(keyId);
      } catch (e) {
        // The refusal of one key refuses the request: say which key, by the id the caller sent.
        if (!(e instanceof DomainError)) throw e;
        const detail = `Nothing was revoked: key ${id} — ${e.detail}`;
        throw new DomainError(e.kind, detail, { code: e.code, field: `ids.${index}`, cause: e });
      }
    }
    return changed;
  });
  if (revoked.length > 0) {
    deps.events?.keysChanged(revoked);
    deps.events?.committed?.("revoke", revoked.length);
  }
  return { revoked: revoked.length };
}
