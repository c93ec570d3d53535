"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import { useRef } from "react";
import { cn } from "./cn";
import { rowMenuTriggerClass, type OpenedWith, type RowMenuProps } from "./row-menu";

/** The Radix menu behind a row's actions button; loaded by ./row-menu on intent, mounted already open. */
export function RadixRowMenu({
  name,
  items,
  onIntent,
  contentClassName,
  collisionPadding,
  openedWith,
}: RowMenuProps & { openedWith: OpenedWith }) {
  // Radix moves focus to the first item when the keyboard opened the menu, but it learns that from a
  // keydown it listens for once mounted, and this first opening's keydown came before. Said here instead.
  const firstOpening = useRef<OpenedWith | null>(openedWith);
  return (
    <Menu.Root defaultOpen>
      <Menu.Trigger
        aria-label={`Actions for ${name}`}
        onPointerEnter={onIntent}
        onFocus={onIntent}
        className={rowMenuTriggerClass}
      >
        <span aria-hidden="true">•••</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          collisionPadding={collisionPadding}
          onFocus={(event) => {
            // On opening, Radix focuses the menu itself; a keyboard opening goes on to the first item.
            const how = firstOpening.current;
            firstOpening.current = null;
            if (how !== "keyboard" || event.target !== event.currentTarget) return;
            event.currentTarget.querySelector<HTMLElement>('[role="menuitem"]:not([data-disabled])')?.focus();
          }}
          className={cn(
            "z-30 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900",
            contentClassName ?? "min-w-52 max-w-72",
          )}
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
