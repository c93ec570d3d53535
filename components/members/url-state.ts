/** The Members page's state in the URL: `q` (search) and `pages` (how many pages Load more has shown). */
export interface MembersUrlState {
  search: string;
  pages: number;
}

export const MAX_PAGES_IN_URL = 20;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
function param(params: Params, name: string): string | null {
  if (params instanceof URLSearchParams) return params.get(name);
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function membersStateFromParams(params: Params): MembersUrlState {
  const search = (param(params, "q") ?? "").trim().slice(0, 255);
  const raw = param(params, "pages");
  const pages = raw && /^\d{1,3}$/.test(raw) ? Math.min(Math.max(Number(raw), 1), MAX_PAGES_IN_URL) : 1;
  return { search, pages };
}

/** The query string for a state ("" when it is the default), keeping any other parameters. */
export function membersQuery(state: MembersUrlState, others?: URLSearchParams): string {
  const next = new URLSearchParams(others);
  next.delete("q");
  next.delete("pages");
  if (state.search) next.set("q", state.search);
  if (state.pages > 1) next.set("pages", String(Math.min(state.pages, MAX_PAGES_IN_URL)));
  const query = next.toString();
  return query ? `?${query}` : "";
}
