"use client";

import type { UseInfiniteQueryResult, InfiniteData } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import type { ApiKeyList } from "@/lib/keys-client";
import { ApiKeysTable } from "./api-keys-table";
import type { ApiKeyRow, Viewer } from "./types";
import { LoadError } from "@/components/ui/load-error";

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
  filtered,
  onRefresh,
  onRevoke,
  onActionsIntent,
}: {
  query: UseInfiniteQueryResult<InfiniteData<ApiKeyList>>;
  rows: ApiKeyRow[];
  viewer: Viewer;
  service: boolean;
  allSpaces: boolean;
  /** A search or a status other than the default is on: an empty list says "No keys match". */
  filtered: boolean;
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  onActionsIntent?: () => void;
}) {
  return query.isPending ? (
    <TableSkeleton />
  ) : query.isError ? (
    <LoadError what="keys" message={query.error.message} onRetry={() => void query.refetch()} />
  ) : rows.length === 0 ? (
    <EmptyState filtered={filtered} service={service} />
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

function EmptyState({ filtered, service }: { filtered: boolean; service: boolean }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center dark:border-slate-700 dark:bg-slate-900">
      <p className="font-medium text-slate-900 dark:text-white">
        {filtered ? "No keys match" : "No API keys yet"}
      </p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        {filtered
          ? "Try another search or status."
          : service
            ? "Create a service key for a pipeline or app that should keep working whoever leaves."
            : "Create a user key to call Keydesk and Arize's clients as yourself."}
      </p>
    </div>
  );
}
