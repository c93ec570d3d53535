import { and, eq } from "drizzle-orm";
import { notFound } from "../../domain/errors";
import { encodeId } from "../../domain/ids";
import { auditOperation, type Actor, type DirectoryDeps } from "../context";
import { memberChange } from "./members";
import { SCOPE_KINDS, type ScopeKindName } from "./scope-kinds";

/**
 * Removes a person from an organization (and every space of it: 1.28's membership cascade) or from
 * a space; 404 if they are not a member.
 */
export async function removeScopeMember<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & { kind: K; scopeId: string | null; userId: string | null },
): Promise<void> {
  const kind = SCOPE_KINDS[input.kind];
  const now = deps.clock.now();
  const userId = await deps.db.transaction(async (tx) => {
    const { scope, target } = await memberChange(tx, input);
    const removed = await tx
      .delete(kind.membership)
      .where(and(eq(kind.membershipScopeId, scope.id), eq(kind.membership.userId, target.id)))
      .returning({ userId: kind.membership.userId });
    if (removed.length === 0) throw notFound(`That user is not a member of this ${kind.noun}.`);
    await kind.afterRemovingMember(tx, scope.id, target.id);
    await auditOperation(tx, input, now, {
      operation: `remove_${kind.kind}_user`,
      targetType: kind.kind,
      targetId: scope.id,
      variables: { user_id: encodeId("User", target.id) },
    });
    return target.id;
  });
  deps.events?.usersChanged([userId]);
}
