"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { isFiltered, type InventoryFilters } from "./filters";
import { inventoryQueries } from "./queries";

const EVERY_KEY: InventoryFilters = { status: "all" };

/**
 * All Keys with nothing to list: "No API keys yet" only when the account has no key at all (any status,
 * no filter); otherwise the filters hide them ("No keys match") and **Show all keys** clears them.
 */
export function AllKeysEmpty({ filters, onShowAll }: { filters: InventoryFilters; onShowAll: () => void }) {
  const unfiltered = !isFiltered(filters);
  const every = useInfiniteQuery({ ...inventoryQueries.list(EVERY_KEY), enabled: !unfiltered });
  if (!unfiltered && every.isPending) {
    return (
      <div
        aria-busy="true"
        aria-label="Loading keys"
        className="h-32 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800"
      />
    );
  }
  const none = unfiltered || (every.isSuccess && (every.data.pages[0]?.api_keys.length ?? 0) === 0);
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center dark:border-slate-700 dark:bg-slate-900">
      <p className="font-medium text-slate-900 dark:text-white">
        {none ? "No API keys yet" : "No keys match"}
      </p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        {none ? "Keys that anyone in the account creates are listed here." : "Try other filters."}
      </p>
      {none ? null : (
        <Button className="mt-4" onClick={onShowAll}>
          Show all keys
        </Button>
      )}
    </div>
  );
}
