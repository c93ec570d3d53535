"use client";

import { RowMenu } from "@/components/ui/row-menu";
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
    <RowMenu
      name={row.name}
      onIntent={onIntent}
      contentClassName="min-w-48 max-w-[calc(100vw-1rem)]"
      collisionPadding={8}
      items={[
        {
          label: "Refresh",
          disabledReason: permissions.refresh.allowed ? undefined : permissions.refresh.reason,
          onSelect: () => onRefresh(row),
        },
        {
          label: "Revoke",
          danger: true,
          disabledReason: permissions.revoke.allowed ? undefined : permissions.revoke.reason,
          onSelect: () => onRevoke(row),
        },
      ]}
    />
  );
}
