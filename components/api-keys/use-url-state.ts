"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { patchedQuery, viewFromParams } from "./url-state";
import type { Viewer } from "./types";

const SEARCH_PAUSE_MS = 300;

/**
 * The page's view state, kept in the URL so reload, back/forward and shared links work: the parsed
 * state, a way to change it, and the search box's text (which reaches the URL after a short pause).
 */
export function useUrlState(viewer: Viewer) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = useMemo(() => viewFromParams(params, viewer), [params, viewer]);
  const { search } = view;

  /** Pushes a history entry (tabs, selects) or replaces the current one (typing). */
  const setParams = (patch: Record<string, string | null>, mode: "push" | "replace" = "push") => {
    const url = `${pathname}${patchedQuery(params, patch)}`;
    if (mode === "push") router.push(url as "/settings/api-keys", { scroll: false });
    else router.replace(url as "/settings/api-keys", { scroll: false });
  };

  const [searchText, setSearchText] = useState(search);
  // Values sent to the URL that it does not show yet (the router updates it after the server answers).
  const [pushedSearches, setPushedSearches] = useState<string[]>([]);
  const [urlSearch, setUrlSearch] = useState(search);
  if (search !== urlSearch) {
    setUrlSearch(search);
    const ours = pushedSearches.indexOf(search);
    if (ours >= 0) {
      setPushedSearches(pushedSearches.slice(ours + 1));
    } else {
      // The URL changed some other way (back/forward, a link): the box follows it.
      setPushedSearches([]);
      setSearchText(search);
    }
  }
  useEffect(() => {
    const wanted = searchText.trim();
    if (wanted === (pushedSearches.at(-1) ?? search)) return;
    const timer = setTimeout(() => {
      setPushedSearches((pending) => [...pending, wanted]);
      setParams({ q: wanted || null }, "replace");
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  });

  /** Where to sign in again and come back to this same view. */
  const loginUrl = `/login?next=${encodeURIComponent(`${pathname}?${params.toString()}`)}`;

  return { ...view, setParams, searchText, setSearchText, loginUrl };
}
