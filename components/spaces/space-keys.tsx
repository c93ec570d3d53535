"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { isExpired } from "@/components/api-keys/format";
import { apiKeyQueries } from "@/components/api-keys/queries";
import { unwrap } from "@/components/ui/action-failure";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { listSpaceServiceKeysAction } from "@/lib/dashboard/actions/space-keys";
import { ROLE_LABEL } from "@/lib/roles/names";
import { EmptyState, Skeleton } from "@/components/ui/list-states";

const th =
  "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
const td = "px-3 py-3 align-top text-sm";
const link =
  "font-medium text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300";

/** A space's page: its service keys (not revoked), each linking to its own page, with roles and status. */
export function SpaceKeys({ spaceId, spaceName }: { spaceId: string; spaceName: string }) {
  // Under the key lists' cache key: creating, refreshing or revoking a key refreshes this list too.
  const keys = useInfiniteQuery({
    queryKey: [...apiKeyQueries.all, "space", spaceId] as const,
    queryFn: async ({ pageParam }) =>
      unwrap(await listSpaceServiceKeysAction({ spaceId, ...(pageParam ? { cursor: pageParam } : {}) })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.pagination.has_more ? last.pagination.next_cursor : undefined),
  });
  const rows = keys.data?.pages.flatMap((p) => p.api_keys) ?? [];
  const allKeysHref = `/settings/api-keys?tab=service&space=${encodeURIComponent(spaceId)}&status=all`;

  return (
    <section aria-labelledby="service-keys-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="service-keys-heading" className="text-lg font-semibold">
          Service keys
        </h2>
        <Link href={allKeysHref} className={`text-sm ${link}`}>
          Manage on the API Keys page
        </Link>
      </div>
      {keys.isPending ? (
        <Skeleton label="Loading service keys" className="h-24" />
      ) : keys.isError ? (
        <LoadError what="service keys" message={keys.error.message} onRetry={() => void keys.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          size="section"
          title={<>No service keys in {spaceName}</>}
          hint="Revoked keys are listed on the API Keys page, under All."
        />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table
            aria-label={`Service keys in ${spaceName}`}
            className="min-w-full divide-y divide-slate-200 dark:divide-slate-800"
          >
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr>
                <th scope="col" className={th}>
                  Name
                </th>
                <th scope="col" className={th}>
                  Roles
                </th>
                <th scope="col" className={th}>
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((key) => (
                <tr key={key.id}>
                  <td className={`${td} break-words`}>
                    <Link href={`/settings/api-keys/${encodeURIComponent(key.id)}`} className={link}>
                      {key.name}
                    </Link>
                  </td>
                  <td className={`${td} text-slate-700 dark:text-slate-300`}>
                    {key.roles ? (
                      <ul className="flex flex-wrap gap-x-3 text-xs">
                        <li>Space: {ROLE_LABEL[key.roles.space_role]}</li>
                        <li>Org: {ROLE_LABEL[key.roles.org_role]}</li>
                        <li>Account: {ROLE_LABEL[key.roles.account_role]}</li>
                      </ul>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className={td}>
                    {isExpired(key.expires_at) ? (
                      <Badge tone="amber">Expired</Badge>
                    ) : (
                      <Badge tone="green">Active</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keys.hasNextPage ? (
        <div className="flex justify-center">
          <Button onClick={() => void keys.fetchNextPage()} disabled={keys.isFetchingNextPage}>
            {keys.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
