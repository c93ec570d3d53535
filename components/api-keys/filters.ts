import { allSpaces, type SpaceContext, type ViewerScopes } from "@/lib/roles/roles";
import type { Filters } from "./types";

/** Reads one query-string value from URLSearchParams or from a page's `searchParams` record. */
type Params = URLSearchParams | Record<string, string | string[] | undefined>;
function param(params: Params, name: string): string | null {
  if (params instanceof URLSearchParams) return params.get(name);
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/**
 * The view's state from the URL: the same answer on the server (first page) and in the browser.
 * An unknown or inaccessible space falls back to the viewer's first space.
 */
export function viewFromParams(params: Params, viewer: ViewerScopes) {
  const spaces = allSpaces(viewer);
  const tab: Filters["tab"] = param(params, "tab") === "service" ? "service" : "user";
  const requestedSpace = param(params, "space");
  const selected: SpaceContext | undefined = spaces.find((s) => s.space.id === requestedSpace) ?? spaces[0];
  const status: Filters["status"] = param(params, "status") === "revoked" ? "revoked" : "active";
  const search = param(params, "q") ?? "";
  const filters: Filters = {
    tab,
    status,
    ...(tab === "service" && selected ? { spaceId: selected.space.id } : {}),
    ...(search ? { search } : {}),
  };
  return { spaces, tab, selected, status, search, filters };
}

export function sameFilters(a: Filters, b: Filters): boolean {
  return (
    a.tab === b.tab &&
    a.status === b.status &&
    a.spaceId === b.spaceId &&
    (a.search ?? "") === (b.search ?? "")
  );
}
