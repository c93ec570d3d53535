import { auditedRow, type Actor, type DirectoryDeps } from "../context";
import { changeDirectory } from "./change-directory";
import { assertMay, SCOPE_KINDS, type ScopeFields, type ScopeKindName, type ScopeViews } from "./scope-kinds";

/** Renames, describes (`description: null` clears it) or, for a space, changes the visibility of a scope. */
export async function updateScope<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & ScopeFields & { kind: K; id: string | null; variables: unknown },
): Promise<ScopeViews[K]> {
  const kind = SCOPE_KINDS[input.kind];
  const now = deps.clock.now();
  return changeDirectory(
    deps,
    input.principal,
    async (tx, caller) => {
      const scope = await kind.visible(tx, caller, input.id, true);
      assertMay(kind.manage, caller, kind.placeOf(scope));
      const row = await kind.update(tx, scope.id, input);
      return auditedRow(tx, input, now, row, { operation: `update_${kind.kind}`, targetType: kind.kind });
    },
    { what: kind.sameNameOwner, name: input.name },
  );
}
