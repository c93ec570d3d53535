"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { lazyComponent } from "@/components/ui/lazy-component";
import { LoadError } from "@/components/ui/load-error";
import { Select } from "@/components/ui/select";
import { patchedQuery } from "@/components/api-keys/url-state";
import { AllKeysEmpty } from "./all-keys-empty";
import { AllKeysTable } from "./all-keys-table";
import { EXCEEDS_POLICY_PARAM, inventoryFiltersFromParams, OWNER_PARAM, SELECT_FILTERS } from "./filters";
import { OwnerFilter } from "./owner-filter";
import { inventoryQueries } from "./queries";

const revokeSelected = lazyComponent(() =>
  import("./revoke-selected-dialog").then((m) => m.RevokeSelectedDialog),
);
const RevokeSelectedDialog = revokeSelected.Component;
const preloadRevokeSelected = () => void revokeSelected.preload().catch(() => undefined);

/** API Keys → All Keys (account admins): every key in the account, its filters in the URL, Revoke selected. */
export function AllKeysPanel() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = useMemo(() => inventoryFiltersFromParams(params), [params]);
  const setParams = (patch: Record<string, string | null>) =>
    router.push(`${pathname}${patchedQuery(params, patch)}` as "/settings/api-keys", { scroll: false });

  const query = useInfiniteQuery(inventoryQueries.list(filters));
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.api_keys) ?? [], [query.data]);

  // The selection belongs to one set of filters: other filters, a fresh selection.
  const filterKey = JSON.stringify(filters);
  const [selection, setSelection] = useState<{ key: string; ids: Set<string> }>({
    key: filterKey,
    ids: new Set(),
  });
  const selected = selection.key === filterKey ? selection.ids : new Set<string>();
  const setSelected = (ids: Set<string>) => setSelection({ key: filterKey, ids });
  const [confirming, setConfirming] = useState<string[] | null>(null);

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
        {SELECT_FILTERS.map((filter) => (
          <div key={filter.param} className="sm:w-40">
            <label htmlFor={`all-${filter.param}-filter`} className="block text-sm font-medium">
              {filter.label}
            </label>
            <Select
              id={`all-${filter.param}-filter`}
              value={filters[filter.field] ?? filter.fallback}
              onChange={(e) =>
                setParams({ [filter.param]: e.target.value === filter.fallback ? null : e.target.value })
              }
            >
              {filter.choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </Select>
          </div>
        ))}
        <OwnerFilter ownerId={filters.ownerId} onOwner={(id) => setParams({ [OWNER_PARAM]: id })} />
        <label className="flex items-center gap-2 text-sm font-medium sm:pb-2">
          <input
            type="checkbox"
            className="h-4 w-4 rounded border-slate-300"
            checked={filters.exceedsPolicy === true}
            onChange={(e) => setParams({ [EXCEEDS_POLICY_PARAM]: e.target.checked ? "1" : null })}
          />
          Exceeds policy
        </label>
      </div>

      {selected.size > 0 ? (
        <div className="flex flex-wrap items-center gap-3 rounded-lg bg-slate-50 px-4 py-2 dark:bg-slate-800">
          <p role="status" className="text-sm">
            {selected.size} selected
          </p>
          <Button
            variant="danger-outline"
            onPointerEnter={preloadRevokeSelected}
            onFocus={preloadRevokeSelected}
            onClick={() => setConfirming([...selected])}
          >
            Revoke selected
          </Button>
          <Button onClick={() => setSelected(new Set())}>Clear selection</Button>
        </div>
      ) : null}

      {query.isPending ? (
        <div
          aria-busy="true"
          aria-label="Loading keys"
          className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
        >
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="h-8 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
          ))}
        </div>
      ) : query.isError ? (
        <LoadError what="keys" message={query.error.message} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <AllKeysEmpty
          filters={filters}
          onShowAll={() =>
            setParams({
              ...Object.fromEntries(SELECT_FILTERS.map((f) => [f.param, null])),
              status: "all",
              [OWNER_PARAM]: null,
              [EXCEEDS_POLICY_PARAM]: null,
            })
          }
        />
      ) : (
        <>
          <AllKeysTable
            rows={rows}
            selected={selected}
            onSelect={(id, on) => {
              const next = new Set(selected);
              if (on) next.add(id);
              else next.delete(id);
              setSelected(next);
            }}
            onSelectAll={(on) =>
              setSelected(
                on ? new Set(rows.filter((r) => r.status !== "revoked").map((r) => r.id)) : new Set(),
              )
            }
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
      )}

      <Suspense fallback={null}>
        {confirming ? (
          <RevokeSelectedDialog
            ids={confirming}
            onClose={() => setConfirming(null)}
            onRevoked={() => {
              setConfirming(null);
              setSelected(new Set());
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
