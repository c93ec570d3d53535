"use client";

import { useState, type KeyboardEvent, type PointerEvent } from "react";

interface RowMenuItem {
  label: string;
  onSelect: () => void;
  /** Shown under the item, which is then disabled. */
  disabledReason?: string;
  danger?: boolean;
}

export interface RowMenuProps {
  /** The row's name: the button is "Actions for <name>". */
  name: string;
  items: RowMenuItem[];
  /** A pointer over or focus on the button: a chance to preload what the items open. */
  onIntent?: () => void;
  /** The menu's width classes (default `min-w-52 max-w-72`). */
  contentClassName?: string;
  /** Distance kept from the viewport's edges when the menu would overflow them. */
  collisionPadding?: number;
}

/** How the menu was first opened: a keyboard opening puts focus on the first item, as Radix does. */
export type OpenedWith = "pointer" | "keyboard";

export const rowMenuTriggerClass =
  "rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800";

type RadixMenu = typeof import("./row-menu-radix").RadixRowMenu;
let loaded: RadixMenu | undefined;
let loading: Promise<RadixMenu> | undefined;
/** The Radix menu (with Popper and floating-ui) is not part of the page's first load: it comes on intent. */
function loadMenu(): Promise<RadixMenu> {
  loading ??= import("./row-menu-radix").then(
    (m) => (loaded = m.RadixRowMenu),
    (error: unknown) => {
      loading = undefined; // a failed download is tried again on the next intent
      throw error;
    },
  );
  return loading;
}

/**
 * A row's actions: a button named "Actions for <name>" opening a menu of items.
 *
 * Until a row's menu is first opened, the button is a plain one with the same name, state and look; a
 * pointer over it or focus on it loads the Radix menu, and the first pointer press, Enter, Space or
 * Arrow Down swaps in the Radix menu, already open. From then on that row is the Radix menu alone.
 */
export function RowMenu(props: RowMenuProps) {
  const [menu, setMenu] = useState<{ Menu: RadixMenu; openedWith: OpenedWith } | null>(null);
  if (menu) return <menu.Menu {...props} openedWith={menu.openedWith} />;

  const intent = () => {
    loadMenu().catch(() => undefined);
    props.onIntent?.();
  };
  const open = (openedWith: OpenedWith) => {
    if (loaded) setMenu({ Menu: loaded, openedWith });
    else
      loadMenu().then(
        (Menu) => setMenu({ Menu, openedWith }),
        () => undefined,
      );
  };
  return (
    <button
      type="button"
      aria-label={`Actions for ${props.name}`}
      aria-haspopup="menu"
      aria-expanded={false}
      data-state="closed"
      className={rowMenuTriggerClass}
      onPointerEnter={intent}
      onFocus={intent}
      // As Radix's trigger: opens on press (not click), with the main button and no Ctrl, and does not
      // take focus, so that the menu gets it.
      onPointerDown={(event: PointerEvent) => {
        if (event.button === 0 && !event.ctrlKey) {
          event.preventDefault();
          open("pointer");
        }
      }}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key === "Enter" || event.key === " " || event.key === "ArrowDown") {
          event.preventDefault();
          open("keyboard");
        }
      }}
    >
      <span aria-hidden="true">•••</span>
    </button>
  );
}
