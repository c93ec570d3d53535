/**
 * The audit log page's filters without zod (the page's client code imports this: zod would add 30 KiB):
 * the same formats as AuditLogPageFiltersSchema in ./audit-log-page.ts, which the action validates with.
 */

/** The audit log page's filters, as they stand in its URL (`actor`, `action`, `from`, `to`). */
export interface AuditLogPageFilters {
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export const FORMATS = {
  actorId: /^[A-Za-z0-9+/=_-]{1,200}$/,
  action: /^[A-Za-z0-9_.]{1,100}$/,
  from: /^\d{4}-\d{2}-\d{2}$/,
  to: /^\d{4}-\d{2}-\d{2}$/,
} as const;

/** Without a From, the whole log (the API's own default is the last 30 days). */
const BEGINNING = "1970-01-01T00:00:00.000Z";

/**
 * The API's query for these filters: From is the start of its day, To the end of its day (UTC), and
 * failed sign-ins (no actor) are included unless an actor is chosen.
 */
export function auditLogApiQuery(filters: AuditLogPageFilters) {
  return {
    start_time: filters.from ? `${filters.from}T00:00:00.000Z` : BEGINNING,
    ...(filters.to ? { end_time: `${filters.to}T23:59:59.999Z` } : {}),
    ...(filters.actorId ? { user_id: filters.actorId } : { include_unattributed: "true" as const }),
    ...(filters.action ? { operation_name: [filters.action] } : {}),
  };
}

/** The filters in a page URL's search params; anything malformed is left out. */
export function auditLogFiltersFromParams(params: URLSearchParams): AuditLogPageFilters {
  const out: AuditLogPageFilters = {};
  for (const [key, param] of [
    ["actorId", "actor"],
    ["action", "action"],
    ["from", "from"],
    ["to", "to"],
  ] as const) {
    const value = params.get(param);
    if (value !== null && FORMATS[key].test(value)) out[key] = value;
  }
  return out;
}
