"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import { cn } from "./cn";

export interface RowMenuItem {
  label: string;
  onSelect: () => void;
  /** Shown under the item, which is then disabled. */
  disabledReason?: string;
  danger?: boolean;
}

/** A row's actions: a button named "Actions for <name>" opening a menu of items. */
export function RowMenu({ name, items }: { name: string; items: RowMenuItem[] }) {
  return (
    <Menu.Root>
      <Menu.Trigger
        aria-label={`Actions for ${name}`}
        className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true">•••</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          className="z-30 min-w-52 max-w-72 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          {items.map((item) => (
            <Menu.Item
              key={item.label}
              disabled={item.disabledReason !== undefined}
              onSelect={item.onSelect}
              className={cn(
                "cursor-pointer rounded px-3 py-2 text-sm outline-none data-[disabled]:cursor-not-allowed data-[highlighted]:bg-slate-100 data-[disabled]:opacity-70 dark:data-[highlighted]:bg-slate-800",
                item.danger && "text-red-700 dark:text-red-400",
              )}
            >
              {item.label}
              {item.disabledReason ? (
                <span className="block text-xs text-slate-600 dark:text-slate-400">
                  {item.disabledReason}
                </span>
              ) : null}
            </Menu.Item>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
