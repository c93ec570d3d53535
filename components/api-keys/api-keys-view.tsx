"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { ROLE_LABEL } from "@/lib/roles/roles";
import { ApiKeysTable } from "./api-keys-table";
import { sameFilters, viewFromParams } from "./filters";
import { ActionFailure, apiKeyQueries, type FirstPage } from "./queries";
import { RevealKeyDialog } from "./reveal-key-dialog";
import type { ApiKeyRow, IssuedKey, Viewer } from "./types";

// The form dialogs (react-hook-form, zod, Radix) load when first wanted, not with the page: a pointer
// over or focus on the button that opens one starts the download, opening it waits for the rest.
const loadNewKeyDialog = () => import("./new-key-dialog");
const loadRefreshKeyDialog = () => import("./refresh-key-dialog");
const loadRevokeKeyDialog = () => import("./revoke-key-dialog");
const NewKeyDialog = dynamic(() => loadNewKeyDialog().then((m) => m.NewKeyDialog), { ssr: false });
const RefreshKeyDialog = dynamic(() => loadRefreshKeyDialog().then((m) => m.RefreshKeyDialog), {
  ssr: false,
});
const RevokeKeyDialog = dynamic(() => loadRevokeKeyDialog().then((m) => m.RevokeKeyDialog), {
  ssr: false,
});
const preloadRowDialogs = () => void Promise.all([loadRefreshKeyDialog(), loadRevokeKeyDialog()]);

const TABS = [
  { id: "user", label: "User Keys" },
  { id: "service", label: "Service Keys" },
] as const;

/** Settings → API Keys. The tab, space, status and search live in the URL. */
export function ApiKeysView({ viewer, first }: { viewer: Viewer; first?: FirstPage }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const toast = useToast();
  const { spaces, tab, selected, status, search, filters } = useMemo(
    () => viewFromParams(params, viewer),
    [params, viewer],
  );

  const setParams = (patch: Record<string, string | null>, mode: "push" | "replace" = "push") => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    const url = `${pathname}${next.size ? `?${next.toString()}` : ""}`;
    if (mode === "push") router.push(url as "/settings/api-keys", { scroll: false });
    else router.replace(url as "/settings/api-keys", { scroll: false });
  };

  // Search is typed into local state and reaches the URL (and the query) after a short pause.
  const [searchText, setSearchText] = useState(search);
  // Values sent to the URL that it does not show yet (the router updates it after the server answers).
  const [pushedSearches, setPushedSearches] = useState<string[]>([]);
  const [urlSearch, setUrlSearch] = useState(search);
  if (search !== urlSearch) {
    setUrlSearch(search);
    const ours = pushedSearches.indexOf(search);
    if (ours >= 0) {
      setPushedSearches(pushedSearches.slice(ours + 1));
    } else {
      // The URL changed some other way (back/forward, a link): the box follows it.
      setPushedSearches([]);
      setSearchText(search);
    }
  }
  useEffect(() => {
    const wanted = searchText.trim();
    if (wanted === (pushedSearches.at(-1) ?? search)) return;
    const timer = setTimeout(() => {
      setPushedSearches((pending) => [...pending, wanted]);
      setParams({ q: wanted || null }, "replace");
    }, 300);
    return () => clearTimeout(timer);
  });

  // The server's first page seeds the list the page opened with; after that, lists come from the list
  // action only, so they have one path to load, fail and retry.
  const [opening] = useState(first);
  const query = useInfiniteQuery(
    apiKeyQueries.list(filters, opening && sameFilters(opening.filters, filters) ? opening : undefined),
  );
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.api_keys) ?? [], [query.data]);

  useEffect(() => {
    if (query.error instanceof ActionFailure && query.error.error.code === "authentication_required") {
      router.replace(`/login?next=${encodeURIComponent(`${pathname}?${params.toString()}`)}` as "/login");
    }
  }, [query.error, router, pathname, params]);

  const [creating, setCreating] = useState(false);
  const [createSession, setCreateSession] = useState(0);
  const openCreate = () => {
    setCreateSession((n) => n + 1);
    setCreating(true);
  };
  const [refreshing, setRefreshing] = useState<ApiKeyRow | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [revealed, setRevealed] = useState<{ secret: string; name: string } | null>(null);
  const onIssued = (secret: string, key: IssuedKey) => {
    setRevealed({ secret, name: key.name });
    toast(`Key “${key.name}” is ready.`);
  };

  const readOnlyHere = tab === "service" && (!selected || selected.space.role === "read-only");
  const createDisabledReason =
    tab === "service"
      ? !selected
        ? "You don't have access to any space."
        : readOnlyHere
          ? "Read-only members can't create service keys"
          : null
      : viewer.user.kind === "bot"
        ? "Service keys can't create user keys"
        : null;

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const next = tab === "user" ? "service" : "user";
    setParams({ tab: next === "user" ? null : next });
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">API Keys</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            User keys act as you, with all of your access. Service keys act as a bot in one space, with roles
            up to yours.
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <Button
            variant="primary"
            onClick={openCreate}
            onPointerEnter={() => void loadNewKeyDialog()}
            onFocus={() => void loadNewKeyDialog()}
            disabled={createDisabledReason !== null}
            aria-describedby={createDisabledReason ? "create-disabled-reason" : undefined}
          >
            <span aria-hidden="true">+</span> New API Key
          </Button>
          {createDisabledReason ? (
            <p id="create-disabled-reason" className="text-xs text-slate-500">
              {createDisabledReason}
            </p>
          ) : null}
        </div>
      </div>

      <div
        role="tablist"
        aria-label="Key types"
        className="flex gap-1 border-b border-slate-200 dark:border-slate-800"
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            aria-controls="keys-panel"
            tabIndex={tab === t.id ? 0 : -1}
            onKeyDown={onTabKey}
            onClick={() => setParams({ tab: t.id === "user" ? null : t.id })}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              tab === t.id
                ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400"
            }`}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div id="keys-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="space-y-4">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          {tab === "service" ? (
            <div className="sm:w-72">
              <label htmlFor="space-filter" className="block text-sm font-medium">
                Space
              </label>
              <Select
                id="space-filter"
                value={selected?.space.id ?? ""}
                onChange={(e) => setParams({ space: e.target.value })}
                disabled={spaces.length === 0}
              >
                {spaces.map(({ space, organization }) => (
                  <option key={space.id} value={space.id}>
                    {space.name} ({organization.name}) — {ROLE_LABEL[space.role]}
                  </option>
                ))}
              </Select>
            </div>
          ) : null}
          <div className="sm:w-40">
            <label htmlFor="status-filter" className="block text-sm font-medium">
              Status
            </label>
            <Select
              id="status-filter"
              value={status}
              onChange={(e) => setParams({ status: e.target.value === "active" ? null : e.target.value })}
            >
              <option value="active">Active</option>
              <option value="revoked">Revoked</option>
            </Select>
          </div>
          <div className="flex-1">
            <label htmlFor="key-search" className="sr-only">
              Search keys
            </label>
            <input
              id="key-search"
              type="search"
              placeholder="Search keys by name"
              aria-label="Search keys"
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
              className={inputClass}
            />
          </div>
        </div>

        {query.isPending ? (
          <TableSkeleton />
        ) : query.isError ? (
          <div
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm dark:border-red-900 dark:bg-red-950"
          >
            <p className="font-medium text-red-800 dark:text-red-200">The keys could not be loaded.</p>
            <p className="mt-1 text-red-700 dark:text-red-300">{query.error.message}</p>
            <Button className="mt-3" onClick={() => void query.refetch()}>
              Retry
            </Button>
          </div>
        ) : rows.length === 0 ? (
          <EmptyState filtered={Boolean(search) || status === "revoked"} service={tab === "service"} />
        ) : (
          <>
            <ApiKeysTable
              rows={rows}
              viewer={viewer}
              service={tab === "service"}
              onRefresh={setRefreshing}
              onRevoke={setRevoking}
              onActionsIntent={preloadRowDialogs}
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
      </div>

      {creating ? (
        <NewKeyDialog
          key={createSession}
          viewer={viewer}
          open={creating}
          onOpenChange={setCreating}
          initialKeyType={tab}
          initialSpaceId={selected?.space.id}
          onIssued={onIssued}
        />
      ) : null}
      {refreshing ? (
        <RefreshKeyDialog target={refreshing} onClose={() => setRefreshing(null)} onIssued={onIssued} />
      ) : null}
      {revoking ? <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} /> : null}
      <RevealKeyDialog
        secret={revealed?.secret ?? null}
        name={revealed?.name ?? ""}
        onClose={() => setRevealed(null)}
      />
    </div>
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
