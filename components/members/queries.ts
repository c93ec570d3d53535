"use client";

import { infiniteQueryOptions } from "@tanstack/react-query";
import { unwrap } from "@/components/ui/action-failure";
import { listMembersAction } from "@/lib/dashboard/actions/members";
import type { Member, Page } from "@/lib/keys-client/reshape";

/** One place for the cache keys of people. */
export const memberQueries = {
  all: ["members"] as const,
  list: (search: string, first?: Page<Member>) =>
    infiniteQueryOptions({
      queryKey: [...memberQueries.all, "list", search] as const,
      queryFn: async ({ pageParam }) =>
        unwrap(
          await listMembersAction({
            ...(search ? { search } : {}),
            ...(pageParam ? { cursor: pageParam } : {}),
          }),
        ),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor,
      ...(first ? { initialData: { pages: [first], pageParams: [undefined] } } : {}),
    }),
};
