"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import type { ActionPermission } from "./permissions";
import type { ApiKeyRow } from "./types";

/** A row's "Actions for <name>" menu: Refresh and Revoke, each disabled with its reason where needed. */
export function RowActions({
  row,
  permissions,
  onRefresh,
  onRevoke,
  onIntent,
}: {
  row: ApiKeyRow;
  permissions: { refresh: ActionPermission; revoke: ActionPermission };
  onRefresh: (key: ApiKeyRow) => void;
  onRevoke: (key: ApiKeyRow) => void;
  /** A pointer over or focus on the button: a chance to preload the dialogs. */
  onIntent?: () => void;
}) {
  return (
    <Menu.Root>
      <Menu.Trigger
        aria-label={`Actions for ${row.name}`}
        onPointerEnter={onIntent}
        onFocus={onIntent}
        className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true">•••</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          collisionPadding={8}
          className="z-30 min-w-48 max-w-[calc(100vw-1rem)] rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
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
