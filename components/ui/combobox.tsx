"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { cn } from "./cn";
import { inputClass } from "./field";

export interface ComboboxOption {
  value: string;
  label: string;
  detail?: string;
}

/**
 * A searchable select (WAI-ARIA combobox with a listbox popup): type to filter, arrows to move,
 * Enter to pick, Escape to close. The chosen option's label stays in the box.
 */
export function Combobox({
  id,
  options,
  value,
  onChange,
  query,
  onQueryChange,
  placeholder,
  loading,
  describedBy,
  invalid,
}: {
  id: string;
  options: ComboboxOption[];
  value: string;
  onChange: (value: string) => void;
  query: string;
  onQueryChange: (query: string) => void;
  placeholder?: string;
  loading?: boolean;
  describedBy?: string;
  invalid?: boolean;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const activeOption = options[Math.min(active, options.length - 1)];

  const pick = (option: ComboboxOption) => {
    onChange(option.value);
    onQueryChange(option.label);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (options.length ? (i + step + options.length) % options.length : 0));
    } else if (e.key === "Enter" && open && activeOption) {
      e.preventDefault();
      pick(activeOption);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="relative">
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && activeOption ? `${listId}-${activeOption.value}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        autoComplete="off"
        placeholder={placeholder}
        value={query}
        onChange={(e) => {
          onQueryChange(e.target.value);
          if (value) onChange("");
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className={inputClass}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="People"
        hidden={!open || options.length === 0}
        className="absolute z-50 mt-1 max-h-60 w-full overflow-y-auto rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        {options.map((option) => (
          <li
            key={option.value}
            id={`${listId}-${option.value}`}
            role="option"
            aria-selected={option.value === value}
            // Keep focus in the box: pick on mouse down, before the blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(option);
            }}
            className={cn(
              "cursor-pointer rounded px-3 py-2 text-sm",
              option === activeOption ? "bg-indigo-50 dark:bg-indigo-950" : "",
            )}
          >
            <span className="block font-medium text-slate-900 dark:text-white">{option.label}</span>
            {option.detail ? (
              <span className="block text-xs text-slate-600 dark:text-slate-400">{option.detail}</span>
            ) : null}
          </li>
        ))}
      </ul>
      {/* An empty list is no listbox: say why instead, politely. */}
      <p
        role="status"
        hidden={!open || options.length > 0}
        className="absolute z-50 mt-1 w-full rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-600 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-400"
      >
        {loading ? "Searching…" : "No one matches"}
      </p>
    </div>
  );
}
