import { z } from "zod";

/** A day as the From and To date inputs give it: YYYY-MM-DD. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-06.");

/** The audit log page's filters, as they stand in its URL (`actor`, `action`, `from`, `to`). */
const AuditLogPageFiltersSchema = z.object({
  actorId: z.string().min(1).max(200).optional(),
  action: z
    .string()
    .regex(/^[A-Za-z0-9_.]{1,100}$/)
    .optional(),
  from: day.optional(),
  to: day.optional(),
});
export type AuditLogPageFilters = z.output<typeof AuditLogPageFiltersSchema>;

export const ListAuditLogPageInputSchema = AuditLogPageFiltersSchema.extend({
  cursor: z.string().min(1).max(500).optional(),
});

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
  const raw = {
    actorId: params.get("actor") ?? undefined,
    action: params.get("action") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
  };
  const out: AuditLogPageFilters = {};
  for (const key of ["actorId", "action", "from", "to"] as const) {
    const one = AuditLogPageFiltersSchema.shape[key].safeParse(raw[key]);
    if (one.success && one.data !== undefined) out[key] = one.data;
  }
  return out;
}
