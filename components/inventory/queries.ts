"use client";

import { infiniteQueryOptions } from "@tanstack/react-query";
import { unwrap } from "@/components/ui/action-failure";
import { listAccountKeysAction } from "@/lib/dashboard/actions/inventory";
import { apiKeyQueries } from "@/components/api-keys/queries";
import type { InventoryFilters } from "./filters";

/** Under the key lists' own cache key, so whatever refreshes the key lists refreshes this one too. */
export const inventoryQueries = {
  list: (filters: InventoryFilters) =>
    infiniteQueryOptions({
      queryKey: [...apiKeyQueries.all, "account", filters] as const,
      queryFn: async ({ pageParam }) =>
        unwrap(await listAccountKeysAction({ ...filters, cursor: pageParam })),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => (last.pagination.has_more ? last.pagination.next_cursor : undefined),
    }),
};
