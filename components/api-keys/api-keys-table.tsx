"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import { Badge } from "@/components/ui/badge";
import { ROLE_LABEL } from "@/lib/roles/roles";
import { isExpired, relativeTime, shortDate } from "./format";
import { rowPermissions } from "./permissions";
import type { ApiKeyRow, Viewer } from "./types";

const th =
  "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
const td = "px-3 py-3 align-top text-sm";

export function ApiKeysTable({
  rows,
  viewer,
  service,
  onRefresh,
  onRevoke,
  onActionsIntent,
}: {
  rows: ApiKeyRow[];
  viewer: Viewer;
  service: boolean;
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  /** A pointer over or focus on a row's Actions button: a chance to preload the dialogs. */
  onActionsIntent?: () => void;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className={th}>
              Name
            </th>
            <th scope="col" className={th}>
              Key
            </th>
            {service ? (
              <>
                <th scope="col" className={th}>
                  Roles
                </th>
                <th scope="col" className={th}>
                  Created by
                </th>
              </>
            ) : null}
            <th scope="col" className={th}>
              Created
            </th>
            <th scope="col" className={th}>
              Expires
            </th>
            <th scope="col" className={th}>
              Last used
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((key) => (
            <KeyRow
              key={key.id}
              row={key}
              viewer={viewer}
              service={service}
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

function KeyRow({
  row,
  viewer,
  service,
  onRefresh,
  onRevoke,
  onActionsIntent,
}: {
  row: ApiKeyRow;
  viewer: Viewer;
  service: boolean;
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  onActionsIntent?: () => void;
}) {
  const expired = isExpired(row.expires_at);
  const permissions = rowPermissions(viewer, row);
  return (
    <tr>
      <td className={td}>
        <div className="font-medium text-slate-900 dark:text-white">{row.name}</div>
        {row.description ? (
          <div className="mt-0.5 max-w-xs truncate text-slate-500">{row.description}</div>
        ) : null}
      </td>
      <td className={`${td} font-mono text-xs text-slate-700 dark:text-slate-300`}>{row.redacted_key}</td>
      {service ? (
        <>
          <td className={td}>
            {row.roles ? (
              <ul className="space-y-0.5 text-xs text-slate-700 dark:text-slate-300">
                <li>Space: {ROLE_LABEL[row.roles.space_role]}</li>
                <li>Org: {ROLE_LABEL[row.roles.org_role]}</li>
                <li>Account: {ROLE_LABEL[row.roles.account_role]}</li>
              </ul>
            ) : null}
          </td>
          <td className={`${td} text-slate-700 dark:text-slate-300`}>{row.created_by?.name ?? "—"}</td>
        </>
      ) : null}
      <td className={`${td} whitespace-nowrap text-slate-700 dark:text-slate-300`}>
        <time dateTime={row.created_at}>{shortDate(row.created_at)}</time>
      </td>
      <td className={`${td} whitespace-nowrap text-slate-700 dark:text-slate-300`}>
        {!row.expires_at ? (
          "Never"
        ) : expired ? (
          <Badge tone="amber">Expired</Badge>
        ) : (
          <time dateTime={row.expires_at} title={shortDate(row.expires_at)}>
            {relativeTime(row.expires_at)}
          </time>
        )}
        {row.grace_until ? (
          <div className="mt-1 text-xs text-slate-500">
            Old secret works until {relativeTime(row.grace_until)}
          </div>
        ) : null}
      </td>
      <td className={`${td} whitespace-nowrap text-slate-700 dark:text-slate-300`}>
        {row.last_used_at ? (
          <time dateTime={row.last_used_at}>{relativeTime(row.last_used_at)}</time>
        ) : (
          "Never"
        )}
      </td>
      <td className={td}>
        {row.status === "revoked" ? (
          <Badge tone="red">Revoked</Badge>
        ) : expired ? (
          <Badge tone="amber">Expired</Badge>
        ) : (
          <Badge tone="green">Active</Badge>
        )}
      </td>
      <td className={`${td} text-right`}>
        {permissions ? (
          <Menu.Root>
            <Menu.Trigger
              aria-label={`Actions for ${row.name}`}
              onPointerEnter={onActionsIntent}
              onFocus={onActionsIntent}
              className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              <span aria-hidden="true">•••</span>
            </Menu.Trigger>
            <Menu.Portal>
              <Menu.Content
                align="end"
                sideOffset={4}
                className="z-30 min-w-48 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
              >
                <MenuItem
                  label="Refresh"
                  disabledReason={permissions.refresh.allowed ? undefined : permissions.refresh.reason}
                  onSelect={() => onRefresh(row)}
                />
                <MenuItem
                  label="Revoke"
                  danger
                  disabledReason={permissions.revoke.allowed ? undefined : permissions.revoke.reason}
                  onSelect={() => onRevoke(row)}
                />
              </Menu.Content>
            </Menu.Portal>
          </Menu.Root>
        ) : null}
      </td>
    </tr>
  );
}

function MenuItem({
  label,
  onSelect,
  disabledReason,
  danger,
}: {
  label: string;
  onSelect: () => void;
  disabledReason?: string;
  danger?: boolean;
}) {
  return (
    <Menu.Item
      disabled={disabledReason !== undefined}
      onSelect={onSelect}
      className={`cursor-pointer rounded px-3 py-2 text-sm outline-none data-[disabled]:cursor-not-allowed data-[highlighted]:bg-slate-100 data-[disabled]:opacity-60 dark:data-[highlighted]:bg-slate-800 ${danger ? "text-red-700 dark:text-red-400" : ""}`}
    >
      {label}
      {disabledReason ? <span className="block text-xs text-slate-500">{disabledReason}</span> : null}
    </Menu.Item>
  );
}
