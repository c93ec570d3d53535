import type { Db } from "../../db/client";
import type { Page } from "../../domain/pagination";
import {
  listFilters,
  scopePage,
  SCOPE_KINDS,
  type ListedScopes,
  type ScopeKindName,
  type ScopeListInput,
} from "./scope-kinds";

/**
 * The organizations or spaces the caller can see, oldest first, filtered by name (and spaces by
 * organization).
 */
export async function listScopes<K extends ScopeKindName>(
  db: Db,
  input: ScopeListInput & { kind: K },
): Promise<Page<ListedScopes[K]>> {
  const where = listFilters(input);
  const rows = await SCOPE_KINDS[input.kind].list(db, input, where);
  return scopePage(rows, input.limit);
}
