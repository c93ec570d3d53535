"use client";

import { infiniteQueryOptions } from "@tanstack/react-query";
import type { ActionError } from "@/lib/action-result";
import { listApiKeysAction } from "@/lib/actions/api-keys";
import type { Filters } from "./types";

/** An action's expected failure, thrown so react-query treats it as an error. */
export class ActionFailure extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
  }
}

/** One place for the cache keys of key lists. */
export const apiKeyQueries = {
  all: ["api-keys"] as const,
  list: (filters: Filters) =>
    infiniteQueryOptions({
      queryKey: [...apiKeyQueries.all, filters] as const,
      queryFn: async ({ pageParam }) => {
        const result = await listApiKeysAction({ ...filters, cursor: pageParam });
        if (!result.ok) throw new ActionFailure(result.error);
        return result.data;
      },
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => (last.pagination.has_more ? last.pagination.next_cursor : undefined),
    }),
};
