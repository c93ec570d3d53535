"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ExpiresText } from "@/components/api-keys/expires-text";
import { isExpired, relativeTime } from "@/components/api-keys/format";
import type { ApiKeyRow } from "@/components/api-keys/types";

const COLUMNS = ["Name", "Type", "Owner", "Space", "Expires", "Last used", "Status"] as const;
type Column = (typeof COLUMNS)[number];

const th =
  "px-2 py-2 text-left text-xs font-semibold uppercase tracking-wide whitespace-nowrap text-slate-500 dark:text-slate-400";
const td = "px-2 py-3 align-top text-sm max-lg:px-0 max-lg:py-0.5";
const labelled = `${td} max-lg:flex max-lg:items-baseline max-lg:gap-3`;
const muted = "text-slate-700 dark:text-slate-300";
const checkbox = "h-4 w-4 rounded border-slate-300 accent-indigo-600";

/**
 * Every key in the account, each with a checkbox (revoked keys have none): a table on wide screens,
 * one card per key below `lg`, as the other tabs.
 */
export function AllKeysTable({
  rows,
  selected,
  onSelect,
  onSelectAll,
}: {
  rows: ApiKeyRow[];
  selected: ReadonlySet<string>;
  onSelect: (id: string, on: boolean) => void;
  onSelectAll: (on: boolean) => void;
}) {
  const selectable = rows.filter((r) => r.status !== "revoked");
  const all = selectable.length > 0 && selectable.every((r) => selected.has(r.id));
  return (
    <div
      role="region"
      aria-label="All keys"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-800 dark:bg-slate-900"
    >
      {selectable.length > 0 ? (
        <label className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 text-sm lg:hidden dark:border-slate-800">
          <input
            type="checkbox"
            className={checkbox}
            checked={all}
            onChange={(e) => onSelectAll(e.target.checked)}
          />
          Select all shown keys
        </label>
      ) : null}
      <table role="table" className="w-full max-lg:block">
        <thead role="rowgroup" className="bg-slate-50 max-lg:hidden dark:bg-slate-900">
          <tr role="row" className="border-b border-slate-200 dark:border-slate-800">
            <th role="columnheader" scope="col" className={`${th} w-8 pl-4`}>
              <input
                type="checkbox"
                aria-label="Select all shown keys"
                className={checkbox}
                checked={all}
                disabled={selectable.length === 0}
                onChange={(e) => onSelectAll(e.target.checked)}
              />
            </th>
            {COLUMNS.map((column) => (
              <th key={column} role="columnheader" scope="col" className={th}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-100 max-lg:block dark:divide-slate-800">
          {rows.map((row) => (
            <AllKeysRow
              key={row.id}
              row={row}
              checked={selected.has(row.id)}
              onCheck={(on) => onSelect(row.id, on)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AllKeysRow({
  row,
  checked,
  onCheck,
}: {
  row: ApiKeyRow;
  checked: boolean;
  onCheck: (on: boolean) => void;
}) {
  const expired = isExpired(row.expires_at);
  const cells: Record<Column, ReactNode> = {
    Name: (
      <div className="line-clamp-2 break-words font-medium text-slate-900 dark:text-white">{row.name}</div>
    ),
    Type: <span className={muted}>{row.key_type === "service" ? "Service" : "User"}</span>,
    Owner: (
      <span className={`break-words ${muted}`} title={row.created_by?.email}>
        {row.created_by?.name ?? "—"}
      </span>
    ),
    Space: <span className={muted}>{row.space_name ?? "—"}</span>,
    Expires: (
      <span className={`whitespace-nowrap ${muted}`}>
        <ExpiresText status={row.status} expiresAt={row.expires_at} />
      </span>
    ),
    "Last used": (
      <span className={`whitespace-nowrap ${muted}`}>
        {row.last_used_at ? (
          <time dateTime={row.last_used_at}>{relativeTime(row.last_used_at)}</time>
        ) : (
          "Never"
        )}
      </span>
    ),
    Status:
      row.status === "revoked" ? (
        <Badge tone="red">Revoked</Badge>
      ) : expired ? (
        <Badge tone="amber">Expired</Badge>
      ) : (
        <Badge tone="green">Active</Badge>
      ),
  };
  return (
    <tr
      role="row"
      className="max-lg:relative max-lg:block max-lg:space-y-1 max-lg:py-3 max-lg:pl-12 max-lg:pr-4"
    >
      <td role="cell" className={`${td} w-8 pl-4 max-lg:absolute max-lg:left-0 max-lg:top-3`}>
        {row.status === "revoked" ? null : (
          <input
            type="checkbox"
            aria-label={`Select ${row.name}`}
            className={checkbox}
            checked={checked}
            onChange={(e) => onCheck(e.target.checked)}
          />
        )}
      </td>
      {COLUMNS.map((column) => (
        <td key={column} role="cell" className={column === "Name" ? `${td} max-lg:block` : labelled}>
          {column === "Name" ? null : (
            <span aria-hidden="true" className="w-24 shrink-0 text-xs text-slate-500 lg:hidden">
              {column}
            </span>
          )}
          <div className="min-w-0">{cells[column]}</div>
        </td>
      ))}
    </tr>
  );
}
