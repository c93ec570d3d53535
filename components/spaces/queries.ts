"use client";

import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { unwrap } from "@/components/ui/action-failure";
import {
  directoryTreeAction,
  listScopeMembersAction,
  organizationMemberIdsAction,
  scopeServiceKeysAction,
} from "@/lib/dashboard/actions/spaces";
import type { OrganizationSummary, Page, ScopeMember } from "@/lib/keys-client/reshape";
import type { ScopeKind } from "@/lib/schemas/directory-forms";

/** One place for the cache keys of organizations, spaces and their members. */
export const directoryQueries = {
  all: ["directory"] as const,
  tree: (initial?: OrganizationSummary[]) =>
    queryOptions({
      queryKey: [...directoryQueries.all, "tree"] as const,
      queryFn: async () => unwrap(await directoryTreeAction(undefined)),
      ...(initial ? { initialData: initial } : {}),
    }),
  members: (kind: ScopeKind, id: string, first?: Page<ScopeMember>) =>
    infiniteQueryOptions({
      queryKey: [...directoryQueries.all, kind, id, "members"] as const,
      queryFn: async ({ pageParam }) =>
        unwrap(await listScopeMembersAction({ kind, id, ...(pageParam ? { cursor: pageParam } : {}) })),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor,
      ...(first ? { initialData: { pages: [first], pageParams: [undefined] } } : {}),
    }),
  organizationMemberIds: (organizationId: string) =>
    queryOptions({
      queryKey: [...directoryQueries.all, "organization", organizationId, "member-ids"] as const,
      queryFn: async () => unwrap(await organizationMemberIdsAction({ id: organizationId })),
    }),
  serviceKeys: (kind: ScopeKind, id: string) =>
    queryOptions({
      queryKey: [...directoryQueries.all, kind, id, "service-keys"] as const,
      queryFn: async () => unwrap(await scopeServiceKeysAction({ kind, id })),
      staleTime: 0,
    }),
};
