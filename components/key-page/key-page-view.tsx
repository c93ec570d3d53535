"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Suspense, useState } from "react";
import { rowPermissions } from "@/components/api-keys/permissions";
import type { IssuedKey, Viewer } from "@/components/api-keys/types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ReasonButton } from "@/components/ui/disabled-reason";
import { lazyComponent } from "@/components/ui/lazy-component";
import { useToast } from "@/components/ui/toast";
import type { ApiKeyDetailsJson, ApiKeyEventListJson } from "@/lib/schemas/api-key-details";
import { KeyActivity } from "./key-activity";
import { KeyDetails } from "./key-details";
import { KeyHistory } from "./key-history";
import { KeyLeaks } from "./key-leaks";
import { at, REASON_LABEL } from "./format";

// The same dialogs as the list's rows, loaded when first wanted (pointer over or focus on a button).
const reveal = lazyComponent(() =>
  import("@/components/api-keys/reveal-key-dialog").then((m) => m.RevealKeyDialog),
);
const refreshKey = lazyComponent(() =>
  Promise.all([import("@/components/api-keys/refresh-key-dialog"), reveal.preload()]).then(
    ([m]) => m.RefreshKeyDialog,
  ),
);
const revokeKey = lazyComponent(() =>
  import("@/components/api-keys/revoke-key-dialog").then((m) => m.RevokeKeyDialog),
);
const RefreshKeyDialog = refreshKey.Component;
const RevokeKeyDialog = revokeKey.Component;
const RevealKeyDialog = reveal.Component;
const preloadDialogs = () =>
  void Promise.all([refreshKey.preload(), revokeKey.preload()]).catch(() => undefined);

/** Settings → API Keys → one key: Details, Activity, History, and its Refresh and Revoke. */
export function KeyPageView({
  viewer,
  apiKey,
  events,
  publicUrl,
}: {
  viewer: Viewer;
  apiKey: ApiKeyDetailsJson;
  /** The first page of its history; null when it could not be loaded. */
  events: ApiKeyEventListJson | null;
  publicUrl?: string;
}) {
  const router = useRouter();
  const toast = useToast();
  const permissions = rowPermissions(viewer, apiKey);
  const [dialog, setDialog] = useState<"refresh" | "revoke" | null>(null);
  const [revealMounted, setRevealMounted] = useState(false);
  const [revealed, setRevealed] = useState<{ secret: string; name: string } | null>(null);
  const revoked = apiKey.status === "revoked";
  const leaks = apiKey.leak_reports ?? [];

  const closeDialog = () => {
    setDialog(null);
    // The server renders the key and its history again, with what just changed.
    router.refresh();
  };
  const onIssued = (secret: string, key: IssuedKey) => {
    setRevealed({ secret, name: key.name });
    toast(`Key “${key.name}” is ready.`, { action: "issued" });
  };

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link
          href="/settings/api-keys"
          className="text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
        >
          <span aria-hidden="true">←</span> API Keys
        </Link>
      </nav>

      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 basis-64">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="break-words text-2xl font-semibold text-slate-900 dark:text-white">
              {apiKey.name}
            </h1>
            {revoked ? <Badge tone="red">Revoked</Badge> : <Badge tone="green">Active</Badge>}
            {leaks.length > 0 ? <Badge tone="red">Leaked</Badge> : null}
          </div>
          <p className="mt-1 font-mono text-xs text-slate-600 dark:text-slate-400">{apiKey.redacted_key}</p>
          {apiKey.description ? (
            <p className="mt-2 break-words text-sm text-slate-700 dark:text-slate-300">
              {apiKey.description}
            </p>
          ) : null}
        </div>
        {permissions ? (
          <div className="flex flex-wrap gap-2">
            <ReasonButton
              onClick={() => {
                setRevealMounted(true);
                setDialog("refresh");
              }}
              onPointerEnter={preloadDialogs}
              onFocus={preloadDialogs}
              reason={permissions.refresh.allowed ? null : permissions.refresh.reason}
            >
              Refresh
            </ReasonButton>
            <Button
              variant="danger-outline"
              onClick={() => setDialog("revoke")}
              onPointerEnter={preloadDialogs}
              onFocus={preloadDialogs}
            >
              Revoke
            </Button>
          </div>
        ) : null}
      </div>

      {revoked ? (
        <p
          role="note"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          Revoked{" "}
          {apiKey.revoked_at ? <time dateTime={apiKey.revoked_at}>{at(apiKey.revoked_at)}</time> : null} by{" "}
          {apiKey.revoked_by?.name ?? "Keydesk"}.
          {apiKey.revocation_reason ? ` Reason: ${REASON_LABEL[apiKey.revocation_reason]}.` : ""} It no longer
          works.
        </p>
      ) : null}

      {leaks.length > 0 ? <KeyLeaks reports={leaks} /> : null}

      <KeyDetails viewer={viewer} apiKey={apiKey} />
      <KeyActivity apiKey={apiKey} />
      {/* A refresh or revoke renders the page again: the history starts over from its new first page. */}
      <KeyHistory key={events?.events[0]?.id ?? "none"} keyId={apiKey.id} first={events} />

      <Suspense fallback={null}>
        {dialog === "refresh" ? (
          <RefreshKeyDialog target={apiKey} onClose={closeDialog} onIssued={onIssued} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {dialog === "revoke" ? <RevokeKeyDialog target={apiKey} onClose={closeDialog} /> : null}
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
