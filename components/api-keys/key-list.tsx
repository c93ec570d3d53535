"use client";

import { useInfiniteQuery, type UseInfiniteQueryResult, type InfiniteData } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import type { ApiKeyList } from "@/lib/keys-client";
import { ApiKeysTable } from "./api-keys-table";
import { apiKeyQueries } from "./queries";
import type { ApiKeyRow, Filters, Viewer } from "./types";
import { LoadError } from "@/components/ui/load-error";
import { EmptyState } from "@/components/ui/list-states";

/**
 * The list's states: loading, failed (with Retry, never shown as an empty list), empty, or the table
 * with Load more.
 */
export function KeyList({
  query,
  rows,
  viewer,
  service,
  allSpaces,
  filters,
  onShowAll,
  onRefresh,
  onRevoke,
  onActionsIntent,
}: {
  query: UseInfiniteQueryResult<InfiniteData<ApiKeyList>>;
  rows: ApiKeyRow[];
  viewer: Viewer;
  service: boolean;
  allSpaces: boolean;
  /** What the list shows: an empty one asks whether any key exists under any status. */
  filters: Filters;
  /** Clears the status and the search (the empty state's "Show all keys"). */
  onShowAll: () => void;
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  onActionsIntent?: () => void;
}) {
  return query.isPending ? (
    <TableSkeleton />
  ) : query.isError ? (
    <LoadError what="keys" message={query.error.message} onRetry={() => void query.refetch()} />
  ) : rows.length === 0 ? (
    <KeysEmpty filters={filters} service={service} onShowAll={onShowAll} />
  ) : (
    <>
      <ApiKeysTable
        rows={rows}
        viewer={viewer}
        service={service}
        allSpaces={allSpaces}
        onRefresh={onRefresh}
        onRevoke={onRevoke}
        onActionsIntent={onActionsIntent}
      />
      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
      {query.isFetchNextPageError ? (
        <p role="alert" className="text-center text-sm text-red-700">
          More keys could not be loaded. Try again.
        </p>
      ) : null}
    </>
  );
}

function TableSkeleton() {
  return (
    <div
      aria-busy="true"
      aria-label="Loading keys"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="h-8 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
      ))}
    </div>
  );
}

/**
 * "No API keys yet" only when there is no key at all here (any status, no search); otherwise the
 * filter hides them: "No keys match", with a way to show them all. Revoking the only active key lands
 * here, and its key is still under All.
 */
function KeysEmpty({
  filters,
  service,
  onShowAll,
}: {
  filters: Filters;
  service: boolean;
  onShowAll: () => void;
}) {
  const unfiltered = filters.status === "all" && !filters.search;
  const every = useInfiniteQuery({
    ...apiKeyQueries.list({ tab: filters.tab, spaceId: filters.spaceId, status: "all" }),
    enabled: !unfiltered,
  });
  if (!unfiltered && every.isPending) return <TableSkeleton />;
  const none = unfiltered || (every.isSuccess && (every.data.pages[0]?.api_keys.length ?? 0) === 0);
  return (
    <EmptyState
      title={none ? "No API keys yet" : "No keys match"}
      hint={
        !none
          ? filters.search
            ? "Try another search or status."
            : "The keys here are revoked or expired: choose another status, or show them all."
          : service
            ? "Create a service key for a pipeline or app that should keep working whoever leaves."
            : "Create a user key to call Keydesk and Arize's clients as yourself."
      }
      action={
        none ? null : (
          <Button className="mt-4" onClick={onShowAll}>
            Show all keys
          </Button>
        )
      }
    />
  );
}
