import { and, count, eq, inArray, or, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apiKeys, organizationMemberships, spaceMemberships } from "../../db/schema";
import { writeAudit } from "../../domain/audit";
import { conflict } from "../../domain/errors";
import type { Principal } from "../../auth/principal";
import { auditOperation, type Actor, type DirectoryDeps } from "../context";
import { changeDirectory } from "./change-directory";
import { assertMay, SCOPE_KINDS, type ScopeKindName } from "./scope-kinds";

type Deleted = { spaceIds: string[]; organizationId?: string };

/**
 * The active service keys a scope holds: made in one of its spaces (`space_id`, the key's first
 * space), or whose bot user holds a role in one of its spaces or in the organization itself (generation
 * D's keys are bound to several scopes through their bot's memberships; an organization role may be
 * left with no space of it). Deleting the scope would strip those roles from under a live key.
 */
function keysBoundTo(tx: DbOrTx, scope: Deleted): SQL | undefined {
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
  scope: Deleted,
  now: Date,
  operation: `delete_${ScopeKindName}`,
): Promise<string[]> {
  const where = keysBoundTo(tx, scope);
  if (!where) return [];
  const revoked = await tx
    .update(apiKeys)
    .set({
      status: "revoked",
      revokedAt: now,
      revokedByUserId: actor.principal.user.id,
      revocationReason: "scope_deleted",
    })
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
      details: { key_type: "service", by: operation, reason: "scope_deleted" },
    });
  return revoked.map((r) => r.id);
}

async function activeServiceKeys(tx: DbOrTx, principal: Principal, scope: Deleted): Promise<number> {
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

const capitalized = (noun: string) => noun.charAt(0).toUpperCase() + noun.slice(1);

/**
 * Deletes an organization (with its spaces and memberships) or a space. While it holds active service
 * keys: a conflict naming how many, unless `force`, which revokes them in the same transaction.
 */
export async function deleteScope<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & { kind: K; id: string | null; force: boolean },
): Promise<void> {
  const kind = SCOPE_KINDS[input.kind];
  const operation = `delete_${kind.kind}` as const;
  const now = deps.clock.now();
  const revoked = await changeDirectory(deps, input.principal, async (tx, caller) => {
    const scope = await kind.visible(tx, caller, input.id, true);
    assertMay(kind.manage, caller, kind.placeOf(scope));
    const deleted = await kind.deletes(tx, scope);
    const active = await activeServiceKeys(tx, caller, deleted);
    if (active > 0 && !input.force) throw keysConflict(`${capitalized(kind.noun)} "${scope.name}"`, active);
    const revoked = await revokeServiceKeys(tx, input, deleted, now, operation);
    await kind.remove(tx, scope.id);
    await auditOperation(tx, input, now, {
      operation,
      targetType: kind.kind,
      targetId: scope.id,
      variables: { force: input.force },
      facts: { name: scope.name, revoked_service_keys: revoked.length },
    });
    return revoked;
  });
  if (revoked.length > 0) deps.events?.keysChanged?.(revoked);
}
