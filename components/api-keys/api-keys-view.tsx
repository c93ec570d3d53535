"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Suspense, useEffect, useMemo, useState, type ReactNode } from "react";
import { ReasonButton } from "@/components/ui/disabled-reason";
import { lazyComponent } from "@/components/ui/lazy-component";
import { useToast } from "@/components/ui/toast";
import { KeyFilters } from "./key-filters";
import { KeyList } from "./key-list";
import { KeyTypeTabs } from "./key-type-tabs";
import { createDisabledReason } from "./permissions";
import { ActionFailure } from "@/components/ui/action-failure";
import { apiKeyQueries, type FirstPage } from "./queries";
import type { ApiKeyRow, IssuedKey, Viewer } from "./types";
import { sameFilters } from "./url-state";
import { useUrlState } from "./use-url-state";
import { mayListAccountKeys } from "@/lib/roles/inventory";
import { CheckKeyButton } from "@/components/check-key/check-key-button";

// The dialogs (react-hook-form, zod, Radix) load when first wanted, not with the page: a pointer over
// or focus on the button that opens one starts the download, opening it waits for the rest. The reveal
// dialog comes with the dialogs that issue a key.
const reveal = lazyComponent(() => import("./reveal-key-dialog").then((m) => m.RevealKeyDialog));
const newKey = lazyComponent(() =>
  Promise.all([import("./new-key-dialog"), reveal.preload()]).then(([m]) => m.NewKeyDialog),
);
const refreshKey = lazyComponent(() =>
  Promise.all([import("./refresh-key-dialog"), reveal.preload()]).then(([m]) => m.RefreshKeyDialog),
);
const revokeKey = lazyComponent(() => import("./revoke-key-dialog").then((m) => m.RevokeKeyDialog));
// All Keys (account admins) loads with its tab, not with the page.
const allKeys = lazyComponent(() =>
  import("@/components/inventory/all-keys-panel").then((m) => m.AllKeysPanel),
);
const AllKeysPanel = allKeys.Component;
const NewKeyDialog = newKey.Component;
const RefreshKeyDialog = refreshKey.Component;
const RevokeKeyDialog = revokeKey.Component;
const RevealKeyDialog = reveal.Component;
const preloadNewKeyDialog = () => void newKey.preload().catch(() => undefined);
const preloadRowDialogs = () =>
  void Promise.all([refreshKey.preload(), revokeKey.preload()]).catch(() => undefined);

/** Settings → API Keys. The tab, space, status and search live in the URL. */
export function ApiKeysView({
  viewer,
  first,
  noSpaces,
  publicUrl,
}: {
  viewer: Viewer;
  first?: FirstPage;
  /** The server's PUBLIC_URL, when set: where the reveal dialog's snippets point Arize's clients. */
  publicUrl?: string;
  /** What the Service Keys tab shows when the viewer reaches no space (./no-spaces, rendered on the server). */
  noSpaces: ReactNode;
}) {
  const router = useRouter();
  const toast = useToast();
  const { spaces, tab, selected, status, filters, setParams, searchText, setSearchText, loginUrl } =
    useUrlState(viewer);

  // The server's first page seeds the list the page opened with; after that, lists come from the list
  // action only, so they have one path to load, fail and retry.
  const [opening] = useState(first);
  const query = useInfiniteQuery({
    ...apiKeyQueries.list(filters, opening && sameFilters(opening.filters, filters) ? opening : undefined),
    enabled: tab !== "all",
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.api_keys) ?? [], [query.data]);

  useEffect(() => {
    if (query.error instanceof ActionFailure && query.error.error.code === "authentication_required") {
      router.replace(loginUrl as "/login");
    }
  }, [query.error, router, loginUrl]);

  // The reveal dialog mounts (closed) with the first dialog that can issue a key, so it is loaded and in
  // place when the key comes: it opens in the same render that closes the issuing dialog, as before.
  const [revealMounted, setRevealMounted] = useState(false);
  const [creating, setCreating] = useState(false);
  const [createSession, setCreateSession] = useState(0);
  const openCreate = () => {
    setCreateSession((n) => n + 1);
    setCreating(true);
    setRevealMounted(true);
  };
  const [refreshing, setRefreshingState] = useState<ApiKeyRow | null>(null);
  const setRefreshing = (key: ApiKeyRow | null) => {
    setRefreshingState(key);
    if (key) setRevealMounted(true);
  };
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [revealed, setRevealed] = useState<{ secret: string; name: string } | null>(null);
  const onIssued = (secret: string, key: IssuedKey) => {
    setRevealed({ secret, name: key.name });
    setRevealMounted(true);
    toast(`Key “${key.name}” is ready.`, { action: "issued" });
  };

  // On All Keys, New API Key makes a user key, as on User Keys.
  const keyTab = tab === "all" ? "user" : tab;
  const disabledReason = createDisabledReason(viewer, keyTab, selected);

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
        <CheckKeyButton viewer={viewer} />
        <ReasonButton
          variant="primary"
          onClick={openCreate}
          onPointerEnter={preloadNewKeyDialog}
          onFocus={preloadNewKeyDialog}
          reason={disabledReason}
        >
          <span aria-hidden="true">+</span> New API Key
        </ReasonButton>
      </div>

      <KeyTypeTabs
        tab={tab}
        allKeys={mayListAccountKeys(viewer.account_role).allowed}
        onSelect={(next) => setParams({ tab: next === "user" ? null : next })}
      />

      {tab === "all" ? (
        <div id="all-keys-panel" role="tabpanel" aria-labelledby="tab-all">
          <Suspense fallback={<p className="text-sm text-slate-600 dark:text-slate-400">Loading keys…</p>}>
            <AllKeysPanel />
          </Suspense>
        </div>
      ) : null}
      <div
        id="keys-panel"
        role="tabpanel"
        aria-labelledby={`tab-${tab}`}
        hidden={tab === "all"}
        className="space-y-4"
      >
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

        {tab === "service" && spaces.length === 0 ? (
          noSpaces
        ) : (
          <KeyList
            query={query}
            rows={rows}
            viewer={viewer}
            service={tab === "service"}
            allSpaces={tab === "service" && !selected}
            filters={filters}
            onShowAll={() => setParams({ status: "all", q: null })}
            onRefresh={setRefreshing}
            onRevoke={setRevoking}
            onActionsIntent={preloadRowDialogs}
          />
        )}
      </div>

      {/* One boundary each: a dialog loading must not hide one already open. */}
      <Suspense fallback={null}>
        {creating ? (
          <NewKeyDialog
            key={createSession}
            viewer={viewer}
            open={creating}
            onOpenChange={setCreating}
            initialKeyType={keyTab}
            initialSpaceId={selected?.space.id}
            onIssued={onIssued}
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {refreshing ? (
          <RefreshKeyDialog
            key={refreshing.id}
            target={refreshing}
            onClose={() => setRefreshing(null)}
            onIssued={onIssued}
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {revoking ? <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} /> : null}
      </Suspense>
      <Suspense fallback={null}>
        {revealMounted ? (
          <RevealKeyDialog
            secret={revealed?.secret ?? null}
            name={revealed?.name ?? ""}
            publicUrl={publicUrl}
            onClose={() => setRevealed(null)}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
