"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { isFiltered, type InventoryFilters } from "./filters";
import { inventoryQueries } from "./queries";
import { EmptyState, Skeleton } from "@/components/ui/list-states";

const EVERY_KEY: InventoryFilters = { status: "all" };

/**
 * All Keys with nothing to list: "No API keys yet" only when the account has no key at all (any status,
 * no filter); otherwise the filters hide them ("No keys match") and **Show all keys** clears them.
 */
export function AllKeysEmpty({ filters, onShowAll }: { filters: InventoryFilters; onShowAll: () => void }) {
  const unfiltered = !isFiltered(filters);
  const every = useInfiniteQuery({ ...inventoryQueries.list(EVERY_KEY), enabled: !unfiltered });
  if (!unfiltered && every.isPending) {
    return <Skeleton label="Loading keys" className="h-32" />;
  }
  const none = unfiltered || (every.isSuccess && (every.data.pages[0]?.api_keys.length ?? 0) === 0);
  return (
    <EmptyState
      title={none ? "No API keys yet" : "No keys match"}
      hint={none ? "Keys that anyone in the account creates are listed here." : "Try other filters."}
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
