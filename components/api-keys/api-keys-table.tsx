"use client";

import { KeyRow, type Column } from "./key-row";
import type { ApiKeyRow, Viewer } from "./types";

/** Column headers in order; the Service Keys tab adds Roles and Created by, and Space across spaces. */
function columnsFor(service: boolean, allSpaces: boolean): Column[] {
  return [
    "Name",
    ...(service && allSpaces ? (["Space"] as const) : []),
    "Key",
    ...(service ? (["Roles", "Created by"] as const) : []),
    "Created",
    "Expires",
    "Last used",
    "Status",
  ];
}

const th =
  "px-2 py-2 text-left text-xs font-semibold uppercase tracking-wide whitespace-nowrap text-slate-500 first:pl-4 dark:text-slate-400";

/**
 * The keys as a table on wide screens and as stacked rows (one card per key, each value labelled)
 * below `lg`. The explicit ARIA roles keep it a table for assistive technology in both layouts.
 */
export function ApiKeysTable({
  rows,
  viewer,
  service,
  allSpaces,
  onRefresh,
  onRevoke,
  onActionsIntent,
}: {
  rows: ApiKeyRow[];
  viewer: Viewer;
  service: boolean;
  /** Listing every space (the Space column shows which). */
  allSpaces: boolean;
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  /** A pointer over or focus on a row's Actions button: a chance to preload the dialogs. */
  onActionsIntent?: () => void;
}) {
  const columns = columnsFor(service, allSpaces);
  return (
    // Between lg and a wide screen a long list can be wider than the page: it scrolls inside this box,
    // which is focusable so keyboard users can scroll it too (rows without actions have no stop).
    <div
      role="region"
      aria-label="API keys"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-800 dark:bg-slate-900"
    >
      <table role="table" className="w-full max-lg:block">
        <thead role="rowgroup" className="bg-slate-50 max-lg:sr-only dark:bg-slate-900">
          <tr role="row" className="border-b border-slate-200 dark:border-slate-800">
            {columns.map((column) => (
              <th key={column} role="columnheader" scope="col" className={th}>
                {column}
              </th>
            ))}
            <th role="columnheader" scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-100 max-lg:block dark:divide-slate-800">
          {rows.map((key) => (
            <KeyRow
              key={key.id}
              row={key}
              viewer={viewer}
              columns={columns}
              onRefresh={onRefresh}
              onRevoke={onRevoke}
              onActionsIntent={onActionsIntent}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
