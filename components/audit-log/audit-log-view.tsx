"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { unwrap } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Combobox } from "@/components/ui/combobox";
import { inputClass } from "@/components/ui/field";
import { LoadError } from "@/components/ui/load-error";
import { Select } from "@/components/ui/select";
import { patchedQuery } from "@/components/api-keys/url-state";
import { auditLogFilterChoicesAction, listAuditLogAction } from "@/lib/dashboard/actions/audit-log";
import { auditActionLabel, auditActorLabel, auditTargetTypeLabel } from "@/lib/schemas/audit-actions";
import { auditLogFiltersFromParams, type AuditLogPageFilters } from "@/lib/schemas/audit-log-filters";

const PAGE_PATH = "/settings/audit-log";

/** The export link for these filters: the same query the page's URL holds. */
function exportHref(filters: AuditLogPageFilters): string {
  const q = new URLSearchParams();
  if (filters.actorId) q.set("actor", filters.actorId);
  if (filters.action) q.set("action", filters.action);
  if (filters.from) q.set("from", filters.from);
  if (filters.to) q.set("to", filters.to);
  return `${PAGE_PATH}/export${q.size ? `?${q.toString()}` : ""}`;
}

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Actor: a combobox of the people and bots that have made changes; its choice goes to the URL. */
function ActorFilter({
  actors,
  actorId,
  onActor,
  loading,
}: {
  actors: { id: string; name: string; email: string | null; kind: "person" | "bot" }[];
  actorId: string | undefined;
  onActor: (id: string | null) => void;
  loading: boolean;
}) {
  const [text, setText] = useState("");
  const [named, setNamed] = useState<string | undefined>(undefined);
  const chosen = actors.find((a) => a.id === actorId);
  if (chosen && named !== chosen.id && text === "") {
    setNamed(chosen.id);
    setText(chosen.name);
  }
  const needle = text.trim().toLowerCase();
  const options = actors
    .filter(
      (a) =>
        a.id === actorId ||
        !needle ||
        a.name.toLowerCase().includes(needle) ||
        (a.email ?? "").toLowerCase().includes(needle),
    )
    .map((a) => ({ value: a.id, label: a.name, detail: a.kind === "bot" ? "Bot" : (a.email ?? undefined) }));
  return (
    <div className="min-w-0 sm:w-64">
      <label htmlFor="actor-filter" className="block text-sm font-medium">
        Actor
      </label>
      <div className="flex gap-1">
        <div className="min-w-0 flex-1">
          <Combobox
            id="actor-filter"
            options={options}
            value={actorId ?? ""}
            onChange={(id) => onActor(id)}
            query={text}
            onQueryChange={setText}
            placeholder="Anyone"
            loading={loading}
          />
        </div>
        {actorId ? (
          <Button
            onClick={() => {
              setText("");
              onActor(null);
            }}
            aria-label="Clear actor"
          >
            ×
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** Settings → Audit log (account admins): every change, newest first, its filters in the URL. */
export function AuditLogView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = useMemo(() => auditLogFiltersFromParams(params), [params]);
  // Two quick changes (From, then To) both land: the second builds on the first's query even before
  // the router has caught up with it.
  const pending = useRef<string | null>(null);
  useEffect(() => {
    pending.current = null;
  }, [params]);
  const setParams = (patch: Record<string, string | null>) => {
    const query = patchedQuery(new URLSearchParams(pending.current ?? params.toString()), patch);
    pending.current = query.slice(1);
    router.push(`${pathname}${query}` as typeof PAGE_PATH, { scroll: false });
  };

  const choices = useQuery({
    queryKey: ["audit-log", "filters"] as const,
    queryFn: async () => unwrap(await auditLogFilterChoicesAction({})),
  });
  const list = useInfiniteQuery({
    queryKey: ["audit-log", "list", filters] as const,
    queryFn: async ({ pageParam }) => unwrap(await listAuditLogAction({ ...filters, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.pagination.has_more ? last.pagination.next_cursor : undefined),
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.logs) ?? [], [list.data]);
  const operationNames = useMemo(() => {
    const names = new Set(choices.data?.operation_names ?? []);
    if (filters.action) names.add(filters.action);
    return [...names].sort((a, b) => auditActionLabel(a).localeCompare(auditActionLabel(b)));
  }, [choices.data, filters.action]);
  const filtered = Boolean(filters.actorId || filters.action || filters.from || filters.to);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">Audit log</h1>
        {/* A plain link: the route handler streams the file with the session cookie (never a URL token). */}
        <a
          href={exportHref(filters)}
          download
          className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
        >
          Export CSV
        </a>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Every change made in this account, newest first. Times are in UTC.
      </p>

      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
        <ActorFilter
          actors={choices.data?.actors ?? []}
          actorId={filters.actorId}
          onActor={(id) => setParams({ actor: id })}
          loading={choices.isFetching}
        />
        <div className="sm:w-56">
          <label htmlFor="action-filter" className="block text-sm font-medium">
            Action
          </label>
          <Select
            id="action-filter"
            value={filters.action ?? ""}
            onChange={(e) => setParams({ action: e.target.value || null })}
          >
            <option value="">Any action</option>
            {operationNames.map((name) => (
              <option key={name} value={name}>
                {auditActionLabel(name)}
              </option>
            ))}
          </Select>
        </div>
        <div className="sm:w-40">
          <label htmlFor="from-filter" className="block text-sm font-medium">
            From
          </label>
          <input
            id="from-filter"
            type="date"
            className={inputClass}
            value={filters.from ?? ""}
            max={filters.to}
            onChange={(e) => setParams({ from: e.target.value || null })}
          />
        </div>
        <div className="sm:w-40">
          <label htmlFor="to-filter" className="block text-sm font-medium">
            To
          </label>
          <input
            id="to-filter"
            type="date"
            className={inputClass}
            value={filters.to ?? ""}
            min={filters.from}
            onChange={(e) => setParams({ to: e.target.value || null })}
          />
        </div>
        {filtered ? (
          <Button onClick={() => router.push(PAGE_PATH, { scroll: false })}>Clear filters</Button>
        ) : null}
      </div>

      {list.isError && !list.data ? (
        <LoadError what="audit log" message={list.error.message} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <div aria-busy="true" aria-label="Loading the audit log" className="space-y-2">
          <div className="h-10 w-full animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-10 w-full animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
        </div>
      ) : rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          {filtered ? "No changes match these filters." : "Nothing has been changed in this account yet."}
        </div>
      ) : (
        // Focusable and named: at 390 px the table scrolls sideways inside its own region.
        <div
          role="region"
          aria-label="Audit log entries"
          tabIndex={0}
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <table className="w-full text-left text-sm" aria-busy={list.isFetching}>
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
                <th scope="col" className="px-3 py-2">
                  Actor
                </th>
                <th scope="col" className="px-3 py-2">
                  Action
                </th>
                <th scope="col" className="px-3 py-2">
                  Target
                </th>
                <th scope="col" className="px-3 py-2">
                  Address
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-700 dark:text-slate-300">
                    <time dateTime={row.created_at}>{timeFormat.format(new Date(row.created_at))}</time>
                  </td>
                  <td className="px-3 py-2">
                    <span className="font-medium text-slate-900 dark:text-white">
                      {auditActorLabel(row.actor, row.actor_credential)}
                    </span>
                    {row.actor?.email ? (
                      <span className="block break-all text-xs text-slate-500">{row.actor.email}</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">{auditActionLabel(row.operation_name)}</td>
                  <td className="px-3 py-2">
                    {row.target ? (
                      <>
                        <span className="block text-xs text-slate-500">
                          {auditTargetTypeLabel(row.target.type)}
                        </span>
                        <span className="break-all">{row.target.name ?? row.target.id ?? "—"}</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{row.ip || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? (
        <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
      {list.isError && list.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {list.error.message}
        </p>
      ) : null}
    </div>
  );
}
