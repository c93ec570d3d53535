"use client";

import { inputClass } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { KeyStatusFilter } from "@/lib/schemas/api-keys";
import { ROLE_LABEL } from "@/lib/roles/names";
import type { SpaceContext } from "@/lib/roles/roles";
import { DEFAULT_STATUS, STATUS_OPTIONS } from "./url-state";

/** Space (Service Keys tab only), Status and Search keys, above the table. */
export function KeyFilters({
  service,
  spaces,
  selected,
  status,
  searchText,
  onSpace,
  onStatus,
  onSearchText,
}: {
  service: boolean;
  spaces: SpaceContext[];
  selected: SpaceContext | undefined;
  status: KeyStatusFilter;
  searchText: string;
  /** null = all spaces. */
  onSpace: (spaceId: string | null) => void;
  /** null = the default status. */
  onStatus: (status: KeyStatusFilter | null) => void;
  onSearchText: (text: string) => void;
}) {
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
      {service ? (
        <div className="min-w-0 sm:w-72">
          <label htmlFor="space-filter" className="block text-sm font-medium">
            Space
          </label>
          <Select
            id="space-filter"
            value={selected?.space.id ?? ""}
            onChange={(e) => onSpace(e.target.value || null)}
          >
            <option value="">All spaces</option>
            {spaces.map(({ space, organization }) => (
              <option key={space.id} value={space.id}>
                {space.name} ({organization.name}) — {ROLE_LABEL[space.role]}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      <div className="sm:w-40">
        <label htmlFor="status-filter" className="block text-sm font-medium">
          Status
        </label>
        <Select
          id="status-filter"
          value={status}
          onChange={(e) => {
            const value = STATUS_OPTIONS.find((o) => o.value === e.target.value)?.value ?? DEFAULT_STATUS;
            onStatus(value === DEFAULT_STATUS ? null : value);
          }}
        >
          {STATUS_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="min-w-0 flex-1">
        <label htmlFor="key-search" className="sr-only">
          Search keys
        </label>
        <input
          id="key-search"
          type="search"
          placeholder="Search keys by name"
          aria-label="Search keys"
          value={searchText}
          onChange={(e) => onSearchText(e.target.value)}
          className={inputClass}
        />
      </div>
    </div>
  );
}
