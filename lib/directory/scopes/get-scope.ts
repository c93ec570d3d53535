import type { Actor, DirectoryDeps } from "../context";
import { SCOPE_KINDS, type ScopeKindName, type ScopeViews } from "./scope-kinds";

/** An organization or a space the caller can see; 404 otherwise. */
export async function getScope<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & { kind: K; id: string | null },
): Promise<ScopeViews[K]> {
  const kind = SCOPE_KINDS[input.kind];
  return kind.readVisible(deps.db, input.principal, input.id);
}
