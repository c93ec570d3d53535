"use client";

import { infiniteQueryOptions } from "@tanstack/react-query";
import { unwrap } from "@/components/ui/action-failure";
import { listApiKeysAction } from "@/lib/dashboard/actions/api-keys";
import type { ApiKeyList } from "@/lib/keys-client";
import type { Filters } from "./types";

/** The first page of a list as the server rendered it, and when it was fetched. */
export interface FirstPage {
  filters: Filters;
  page: ApiKeyList;
  fetchedAt: number;
}

/** One place for the cache keys of key lists. */
export const apiKeyQueries = {
  all: ["api-keys"] as const,
  /** `first` seeds the cache when it was fetched for these same filters (the page's first paint). */
  list: (filters: Filters, first?: FirstPage) =>
    infiniteQueryOptions({
      queryKey: [...apiKeyQueries.all, filters] as const,
      queryFn: async ({ pageParam }) => unwrap(await listApiKeysAction({ ...filters, cursor: pageParam })),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => (last.pagination.has_more ? last.pagination.next_cursor : undefined),
      ...(first
        ? {
            initialData: { pages: [first.page], pageParams: [undefined] },
            initialDataUpdatedAt: first.fetchedAt,
          }
        : {}),
    }),
};
