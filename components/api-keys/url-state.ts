import type { KeyStatusFilter } from "@/lib/schemas/api-keys";
import { allSpaces, type SpaceContext, type ViewerScopes } from "@/lib/roles/roles";
import { mayListAccountKeys } from "@/lib/roles/inventory";
import type { Filters, Viewer } from "./types";

type ViewerRole = Viewer["account_role"];

/** The Status select: its options in order, and the one a URL without `status` means. */
export const STATUS_OPTIONS: { value: KeyStatusFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "active", label: "Active" },
  { value: "expired", label: "Expired" },
  { value: "revoked", label: "Revoked" },
];
export const DEFAULT_STATUS: KeyStatusFilter = "active";

/** Reads one query-string value from URLSearchParams or from a page's `searchParams` record. */
export type Params = URLSearchParams | Record<string, string | string[] | undefined>;
function param(params: Params, name: string): string | null {
  if (params instanceof URLSearchParams) return params.get(name);
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export interface ViewState {
  /** Every space the viewer can see, in the directory's order. */
  spaces: SpaceContext[];
  /** `all`: every key in the account (account admins only; components/inventory). */
  tab: Filters["tab"] | "all";
  /** The space chosen on the Service Keys tab; undefined = "All spaces". */
  selected: SpaceContext | undefined;
  status: KeyStatusFilter;
  search: string;
  /** What the list asks for. */
  filters: Filters;
}

/**
 * The view's state from the URL: the same answer on the server (first page) and in the browser.
 * No `space`, or one the viewer cannot see, means all of the viewer's spaces; an unknown `status`
 * means the default.
 */
export function viewFromParams(
  params: Params,
  viewer: ViewerScopes & { account_role: ViewerRole },
): ViewState {
  const spaces = allSpaces(viewer);
  const askedTab = param(params, "tab");
  const tab: ViewState["tab"] =
    askedTab === "service"
      ? "service"
      : askedTab === "all" && mayListAccountKeys(viewer.account_role).allowed
        ? "all"
        : "user";
  const requestedSpace = param(params, "space");
  const selected = spaces.find((s) => s.space.id === requestedSpace);
  const requestedStatus = param(params, "status");
  const status = STATUS_OPTIONS.find((o) => o.value === requestedStatus)?.value ?? DEFAULT_STATUS;
  const search = param(params, "q") ?? "";
  const filters: Filters = {
    tab: tab === "all" ? "user" : tab,
    status,
    ...(tab === "service" && selected ? { spaceId: selected.space.id } : {}),
    ...(search ? { search } : {}),
  };
  return { spaces, tab, selected, status, search, filters };
}

/** The query string after `patch` (null or "" removes a value), or "" when nothing is left. */
export function patchedQuery(params: URLSearchParams, patch: Record<string, string | null>): string {
  const next = new URLSearchParams(params.toString());
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === "") next.delete(k);
    else next.set(k, v);
  }
  return next.size ? `?${next.toString()}` : "";
}

export function sameFilters(a: Filters, b: Filters): boolean {
  return (
    a.tab === b.tab &&
    a.status === b.status &&
    a.spaceId === b.spaceId &&
    (a.search ?? "") === (b.search ?? "")
  );
}
