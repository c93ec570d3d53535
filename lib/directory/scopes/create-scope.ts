import { auditedRow, type Actor, type DirectoryDeps } from "../context";
import { changeDirectory } from "./change-directory";
import { assertMay, SCOPE_KINDS, type ScopeKindName, type ScopeViews } from "./scope-kinds";

/**
 * Creates an organization (account admins) or a space in an organization the caller sees (its
 * admins). The name is unique where it is made.
 */
export async function createScope<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & {
    kind: K;
    /** A space's organization; an organization has none. */
    organizationId?: string | null;
    name: string;
    description?: string;
    isPrivate?: boolean;
    variables: unknown;
  },
): Promise<ScopeViews[K]> {
  const kind = SCOPE_KINDS[input.kind];
  // What belongs to the account alone is refused before any transaction, on the roles the request has.
  if (!kind.parent) assertMay(kind.manage, input.principal, { organizationId: null });
  const now = deps.clock.now();
  return changeDirectory(
    deps,
    input.principal,
    async (tx, caller) => {
      const parentId = kind.parent ? await kind.parent(tx, caller, input.organizationId ?? null) : null;
      assertMay(kind.manage, caller, { organizationId: parentId });
      const row = await kind.insert(
        tx,
        {
          accountId: input.principal.user.accountId,
          parentId,
          name: input.name,
          description: input.description ?? "",
          isPrivate: input.isPrivate ?? false,
        },
        now,
      );
      return auditedRow(tx, input, now, row, { operation: `create_${kind.kind}`, targetType: kind.kind });
    },
    { what: kind.sameNameOwner, name: input.name },
  );
}
