import { z } from "zod";
import { FORMATS } from "./audit-log-filters";

/** A day as the From and To date inputs give it: YYYY-MM-DD. */
const day = z.string().regex(FORMATS.from, "Use a date like 2026-12-06.");

/** The audit log page's filters, as they stand in its URL (`actor`, `action`, `from`, `to`). */
const AuditLogPageFiltersSchema = z.object({
  actorId: z.string().regex(FORMATS.actorId).optional(),
  action: z.string().regex(FORMATS.action).optional(),
  from: day.optional(),
  to: day.optional(),
});

export const ListAuditLogPageInputSchema = AuditLogPageFiltersSchema.extend({
  cursor: z.string().min(1).max(500).optional(),
});
