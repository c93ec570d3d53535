import type { KeyStatusFilter } from "@/lib/schemas/api-keys";
import { EXPIRING_WITHIN_DAYS, UNUSED_FOR_DAYS, type ListAccountKeysInput } from "@/lib/schemas/inventory";
import { DEFAULT_STATUS, STATUS_OPTIONS, type Params } from "@/components/api-keys/url-state";

/** The All Keys tab's filters as the list action takes them (without a cursor). */
export type InventoryFilters = Omit<ListAccountKeysInput, "cursor">;

interface Choice {
  value: string;
  label: string;
}

/**
 * The select filters of the All Keys tab, each kept in the URL under its `param`: adding a filter is
 * one more entry here (and its field in ListAccountKeysInputSchema). "" is the filter's "any" choice.
 * The Owner combobox is apart (its options come from the directory).
 */
export const SELECT_FILTERS: {
  param: string;
  field: "type" | "status" | "expiringWithin" | "unusedFor";
  label: string;
  choices: Choice[];
  /** The choice a URL without the parameter means. */
  fallback: string;
}[] = [
  {
    param: "type",
    field: "type",
    label: "Type",
    choices: [
      { value: "", label: "All types" },
      { value: "user", label: "User keys" },
      { value: "service", label: "Service keys" },
    ],
    fallback: "",
  },
  { param: "status", field: "status", label: "Status", choices: STATUS_OPTIONS, fallback: DEFAULT_STATUS },
  {
    param: "expiring",
    field: "expiringWithin",
    label: "Expiring within",
    choices: [
      { value: "", label: "Any time" },
      ...EXPIRING_WITHIN_DAYS.map((d) => ({ value: d, label: `${d} days` })),
    ],
    fallback: "",
  },
  {
    param: "unused",
    field: "unusedFor",
    label: "Unused for",
    choices: [{ value: "", label: "Any" }, ...UNUSED_FOR_DAYS.map((d) => ({ value: d, label: `${d} days` }))],
    fallback: "",
  },
];

/** The URL parameter of the Owner combobox (a public user id). */
export const OWNER_PARAM = "owner";
/** The URL parameter of the Exceeds policy checkbox (`1` when ticked). */
export const EXCEEDS_POLICY_PARAM = "exceeds";

function param(params: Params, name: string): string | null {
  if (params instanceof URLSearchParams) return params.get(name);
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The filters a URL asks for; an unknown value means that filter's default. */
export function inventoryFiltersFromParams(params: Params): InventoryFilters {
  const chosen = (filter: (typeof SELECT_FILTERS)[number]) => {
    const asked = param(params, filter.param);
    return filter.choices.find((c) => c.value === asked)?.value ?? filter.fallback;
  };
  const out: Record<string, string> = {};
  for (const filter of SELECT_FILTERS) {
    const value = chosen(filter);
    if (value) out[filter.field] = value;
  }
  const owner = param(params, OWNER_PARAM);
  return {
    ...(out as Omit<InventoryFilters, "status" | "ownerId" | "exceedsPolicy">),
    status: (out.status ?? DEFAULT_STATUS) as KeyStatusFilter,
    ...(owner ? { ownerId: owner } : {}),
    ...(param(params, EXCEEDS_POLICY_PARAM) === "1" ? { exceedsPolicy: true as const } : {}),
  };
}

/**
 * Whether any filter hides some key: a status other than All (the default Active hides revoked and
 * expired keys) or any other filter. An empty list then says "No keys match" if the account has keys.
 */
export function isFiltered(filters: InventoryFilters): boolean {
  return Object.entries(filters).some(([field, value]) =>
    field === "status" ? value !== "all" : value !== undefined,
  );
}
