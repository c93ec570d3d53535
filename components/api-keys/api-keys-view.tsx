"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { KeyFilters } from "./key-filters";
import { KeyList } from "./key-list";
import { KeyTypeTabs } from "./key-type-tabs";
import { createDisabledReason } from "./permissions";
import { ActionFailure, apiKeyQueries, type FirstPage } from "./queries";
import { RevealKeyDialog } from "./reveal-key-dialog";
import type { ApiKeyRow, IssuedKey, Viewer } from "./types";
import { DEFAULT_STATUS, sameFilters } from "./url-state";
import { useUrlState } from "./use-url-state";

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

/** Settings → API Keys. The tab, space, status and search live in the URL. */
export function ApiKeysView({ viewer, first }: { viewer: Viewer; first?: FirstPage }) {
  const router = useRouter();
  const toast = useToast();
  const { spaces, tab, selected, status, search, filters, setParams, searchText, setSearchText, loginUrl } =
    useUrlState(viewer);

  // The server's first page seeds the list the page opened with; after that, lists come from the list
  // action only, so they have one path to load, fail and retry.
  const [opening] = useState(first);
  const query = useInfiniteQuery(
    apiKeyQueries.list(filters, opening && sameFilters(opening.filters, filters) ? opening : undefined),
  );
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.api_keys) ?? [], [query.data]);

  useEffect(() => {
    if (query.error instanceof ActionFailure && query.error.error.code === "authentication_required") {
      router.replace(loginUrl as "/login");
    }
  }, [query.error, router, loginUrl]);

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
    toast(`Key “${key.name}” is ready.`, { action: "issued" });
  };

  const disabledReason = createDisabledReason(viewer, tab, selected);

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 basis-64">
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
            disabled={disabledReason !== null}
            aria-describedby={disabledReason ? "create-disabled-reason" : undefined}
          >
            <span aria-hidden="true">+</span> New API Key
          </Button>
          {disabledReason ? (
            <p id="create-disabled-reason" className="text-xs text-slate-500">
              {disabledReason}
            </p>
          ) : null}
        </div>
      </div>

      <KeyTypeTabs tab={tab} onSelect={(next) => setParams({ tab: next === "user" ? null : next })} />

      <div id="keys-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="space-y-4">
        <KeyFilters
          service={tab === "service"}
          spaces={spaces}
          selected={selected}
          status={status}
          searchText={searchText}
          onSpace={(space) => setParams({ space })}
          onStatus={(next) => setParams({ status: next })}
          onSearchText={setSearchText}
        />

        <KeyList
          query={query}
          rows={rows}
          viewer={viewer}
          service={tab === "service"}
          allSpaces={tab === "service" && !selected}
          filtered={Boolean(search) || status !== DEFAULT_STATUS}
          onRefresh={setRefreshing}
          onRevoke={setRevoking}
          onActionsIntent={preloadRowDialogs}
        />
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
        <RefreshKeyDialog
          key={refreshing.id}
          target={refreshing}
          onClose={() => setRefreshing(null)}
          onIssued={onIssued}
        />
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
