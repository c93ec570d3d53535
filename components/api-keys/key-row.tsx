"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ExceedsRoleNote } from "./exceeds-role-note";
import { ROLE_LABEL } from "@/lib/roles/names";
import { spaceContext } from "@/lib/roles/roles";
import { DateTime } from "@/components/ui/date-time";
import { ExpiresText } from "./expires-text";
import { isExpired, relativeTime, timeOrDateTime } from "./format";
import { rowPermissions } from "./permissions";
import { RowActions } from "./row-actions";
import type { ApiKeyRow, Viewer } from "./types";

export type Column =
  "Name" | "Space" | "Key" | "Roles" | "Created by" | "Created" | "Expires" | "Last used" | "Status";

const td = "px-2 py-3 align-top text-sm lg:first:pl-4 max-lg:px-0 max-lg:py-0.5";
/** Below `lg` each value sits beside its label. */
const labelled = `${td} max-lg:flex max-lg:items-baseline max-lg:gap-3`;
const muted = "text-slate-700 dark:text-slate-300";

/** One key: a table row on wide screens, a card below `lg`. */
export function KeyRow({
  row,
  viewer,
  columns,
  onRefresh,
  onRevoke,
  onActionsIntent,
}: {
  row: ApiKeyRow;
  viewer: Viewer;
  columns: Column[];
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  onActionsIntent?: () => void;
}) {
  const expired = isExpired(row.expires_at);
  const permissions = rowPermissions(viewer, row);
  const cells: Record<Column, ReactNode> = {
    Name: (
      <>
        {/* At least 12rem from lg up: the table's auto layout otherwise squeezes the name first (its
            words are its only break points) and a usual name wraps while dates and notes keep a line. */}
        <div className="line-clamp-2 break-words font-medium text-slate-900 lg:min-w-[12rem] dark:text-white">
          {/* The key's own page: its details, activity and history (lifecycle.md §1). */}
          <Link
            href={`/settings/api-keys/${encodeURIComponent(row.id)}`}
            className="hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {row.name}
          </Link>
        </div>
        {row.description ? (
          <div className="mt-0.5 line-clamp-1 max-w-[14rem] break-all text-slate-500" title={row.description}>
            {row.description}
          </div>
        ) : null}
      </>
    ),
    Space: <span className={muted}>{spaceName(viewer, row.space_id)}</span>,
    Key: (
      <span className="whitespace-nowrap font-mono text-xs text-slate-700 dark:text-slate-300">
        {row.redacted_key}
      </span>
    ),
    // Two roles a line when the table has room, one a line when it has not: a fixed width here
    // pushed the table past 1280 px once a grace note and a two-digit hour were in it.
    Roles: row.roles ? (
      <ul className="flex flex-wrap gap-x-2 lg:max-w-48 text-xs text-slate-700 dark:text-slate-300">
        <li>Space: {ROLE_LABEL[row.roles.space_role]}</li>
        <li>Org: {ROLE_LABEL[row.roles.org_role]}</li>
        <li>Account: {ROLE_LABEL[row.roles.account_role]}</li>
      </ul>
    ) : null,
    "Created by": <span className={muted}>{row.created_by?.name ?? "—"}</span>,
    Created: <DateTime iso={row.created_at} className={muted} />,
    Expires: (
      <div className={muted}>
        <ExpiresText status={row.status} expiresAt={row.expires_at} />
        {row.grace_until && row.status === "active" ? (
          <div className="mt-1 text-xs text-slate-500 lg:whitespace-nowrap">
            Previous secret expires{" "}
            <time dateTime={row.grace_until}>{timeOrDateTime(row.grace_until)}</time>
          </div>
        ) : null}
      </div>
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
    Status: (
      <>
        {row.status === "revoked" ? (
          <Badge tone="red">Revoked</Badge>
        ) : expired ? (
          <Badge tone="amber">Expired</Badge>
        ) : (
          <Badge tone="green">Active</Badge>
        )}
        {row.status === "active" && row.exceeds_creator_role ? <ExceedsRoleNote /> : null}
      </>
    ),
  };

  return (
    <tr role="row" className="max-lg:relative max-lg:block max-lg:space-y-1 max-lg:px-4 max-lg:py-3">
      {columns.map((column) => (
        <td
          key={column}
          role="cell"
          className={column === "Name" ? `${td} max-lg:block max-lg:pr-10` : labelled}
        >
          {column === "Name" ? null : (
            <span aria-hidden="true" className="w-24 shrink-0 text-xs text-slate-500 lg:hidden">
              {column}
            </span>
          )}
          <div className="min-w-0">{cells[column]}</div>
        </td>
      ))}
      <td role="cell" className={`${td} text-right max-lg:absolute max-lg:right-2 max-lg:top-2`}>
        {permissions ? (
          <RowActions
            row={row}
            permissions={permissions}
            onRefresh={onRefresh}
            onRevoke={onRevoke}
            onIntent={onActionsIntent}
          />
        ) : null}
      </td>
    </tr>
  );
}

function spaceName(viewer: Viewer, spaceId: string | undefined): string {
  const context = spaceId ? spaceContext(viewer, spaceId) : null;
  return context ? context.space.name : "—";
}
