"use client";

import type { KeyboardEvent } from "react";

type Tab = "user" | "service" | "all";

const TABS = [
  { id: "user", label: "User Keys" },
  { id: "service", label: "Service Keys" },
  { id: "all", label: "All Keys" },
] as const;

/**
 * User Keys / Service Keys (and All Keys for account admins): a tablist whose arrow keys move
 * between the tabs.
 */
export function KeyTypeTabs({
  tab,
  onSelect,
  allKeys = false,
}: {
  tab: Tab;
  onSelect: (tab: Tab) => void;
  /** Whether the viewer gets the All Keys tab (lib/roles/inventory.ts). */
  allKeys?: boolean;
}) {
  const tabs = TABS.filter((t) => t.id !== "all" || allKeys);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const at = tabs.findIndex((t) => t.id === tab);
    const step = e.key === "ArrowRight" ? 1 : -1;
    const next = tabs[(at + step + tabs.length) % tabs.length]?.id ?? "user";
    onSelect(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div
      role="tablist"
      aria-label="Key types"
      className="flex gap-1 border-b border-slate-200 dark:border-slate-800"
    >
      {tabs.map((t) => (
        <button
          key={t.id}
          id={`tab-${t.id}`}
          role="tab"
          type="button"
          aria-selected={tab === t.id}
          aria-controls={t.id === "all" ? "all-keys-panel" : "keys-panel"}
          tabIndex={tab === t.id ? 0 : -1}
          onKeyDown={onKeyDown}
          onClick={() => onSelect(t.id)}
          className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
            tab === t.id
              ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
              : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400"
          }`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
