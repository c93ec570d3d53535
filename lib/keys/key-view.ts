/**
 * A key as the domain returns it (`ApiKeyView`), the columns every query that reads keys selects, and
 * its details (roles, creator, grace end). Apart from api-keys.ts so that what reads keys —
 * key events, inventory, lookup, leaks — does not import the operations that change them.
 */
import { and, eq, gt, inArray, max, not } from "drizzle-orm";
import type { Clock } from "../clock";
import type { DbOrTx } from "../db/client";
import {
  apiKeys,
  apiKeySecrets,
  organizationMemberships,
  spaceMemberships,
  spaces,
  users,
} from "../db/schema";
import type { AccountRole, ScopeRole } from "../roles/names";

export type KeyType = "user" | "service";
type KeyStatus = "active" | "revoked";

export interface ServiceKeyRoles {
  spaceRole: ScopeRole;
  orgRole: ScopeRole;
  accountRole: AccountRole;
}

/** A key as the domain returns it. Never holds a secret. */
export interface ApiKeyView {
  id: string;
  accountId: string;
  keyType: KeyType;
  name: string;
  description: string | null;
  status: KeyStatus;
  redactedKey: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdByUserId: string;
  /** The user the key acts as (the bot, for a service key). */
  userId: string;
  spaceId: string | null;
  details?: {
    roles?: ServiceKeyRoles;
    createdBy: { id: string; name: string; email: string | null };
    graceUntil: Date | null;
  };
}

/** The columns of an `ApiKeyView`, for every query that reads keys. */
export const keyColumns = {
  id: apiKeys.id,
  accountId: apiKeys.accountId,
  keyType: apiKeys.keyType,
  name: apiKeys.name,
  description: apiKeys.description,
  status: apiKeys.status,
  redactedKey: apiKeys.redactedKey,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  createdByUserId: apiKeys.createdByUserId,
  userId: apiKeys.userId,
  spaceId: apiKeys.spaceId,
};

/**
 * Each bot's account role and, per space it is bound to, its space and organization roles (one row
 * per space; a blocked bot, which has lost its memberships, has one row with null roles).
 */
function botRoleRows(db: DbOrTx, botIds: string[]) {
  if (botIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      userId: users.id,
      accountRole: users.accountRole,
      spaceId: spaceMemberships.spaceId,
      spaceRole: spaceMemberships.role,
      orgRole: organizationMemberships.role,
    })
    .from(users)
    .leftJoin(spaceMemberships, eq(spaceMemberships.userId, users.id))
    .leftJoin(spaces, eq(spaces.id, spaceMemberships.spaceId))
    .leftJoin(
      organizationMemberships,
      and(
        eq(organizationMemberships.userId, users.id),
        eq(organizationMemberships.organizationId, spaces.organizationId),
      ),
    )
    .where(inArray(users.id, botIds));
}

/**
 * Adds roles, creator and grace end to keys, in three batched queries — one after the other when
 * `db` is a transaction (`inTransaction`: its queries share one connection), else at once.
 */
export async function attachDetails(
  db: DbOrTx,
  clock: Clock,
  keys: ApiKeyView[],
  inTransaction = false,
): Promise<void> {
  if (keys.length === 0) return;
  const creatorIds = [...new Set(keys.map((k) => k.createdByUserId))];
  const botIds = keys.filter((k) => k.keyType === "service").map((k) => k.userId);
  const now = clock.now();

  // Drizzle's queries run when awaited, so awaiting them in turn runs them in turn.
  const queries = [
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, creatorIds)),
    botRoleRows(db, botIds),
    db
      .select({ apiKeyId: apiKeySecrets.apiKeyId, until: max(apiKeySecrets.expiresAt) })
      .from(apiKeySecrets)
      .where(
        and(
          inArray(
            apiKeySecrets.apiKeyId,
            keys.map((k) => k.id),
          ),
          not(apiKeySecrets.isCurrent),
          gt(apiKeySecrets.expiresAt, now),
        ),
      )
      .groupBy(apiKeySecrets.apiKeyId),
  ] as const;
  const [creators, bots, graces] = inTransaction
    ? ([await queries[0], await queries[1], await queries[2]] as const)
    : await Promise.all(queries);

  const creatorById = new Map(creators.map((c) => [c.id, c]));
  // A bot bound to several spaces (generation D) has a row per space: the key's own space shows.
  const botRow = (key: ApiKeyView) =>
    bots.find((b) => b.userId === key.userId && b.spaceId === key.spaceId) ??
    bots.find((b) => b.userId === key.userId);
  const graceById = new Map(graces.map((g) => [g.apiKeyId, g.until]));
  for (const key of keys) {
    const creator = creatorById.get(key.createdByUserId);
    const bot = key.keyType === "service" ? botRow(key) : undefined;
    key.details = {
      createdBy: creator ?? { id: key.createdByUserId, name: "Unknown user", email: null },
      graceUntil: graceById.get(key.id) ?? null,
      ...(bot
        ? {
            roles: {
              // A blocked bot has lost its memberships; it holds no role anywhere then.
              spaceRole: bot.spaceRole ?? "read-only",
              orgRole: bot.orgRole ?? "read-only",
              accountRole: bot.accountRole,
            },
          }
        : {}),
    };
  }
}
