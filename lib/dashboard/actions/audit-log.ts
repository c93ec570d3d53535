"use server";

import { z } from "zod";
import { defineAction, fromApi } from "../define-action";
import { auditLogApiQuery } from "../../schemas/audit-log-filters";
import { ListAuditLogPageInputSchema } from "../../schemas/audit-log-page";

// Every export here is a public endpoint: defineAction authenticates and validates each one, and the
// keys API authorizes every call (the audit log is for account admins only).

/** One page (50 rows) of the audit log, newest first, with the page's filters. */
export const listAuditLogAction = defineAction(
  { input: ListAuditLogPageInputSchema },
  async ({ cursor, ...filters }, { api }) =>
    fromApi(
      await api.GET("/v2/audit-logs", {
        params: { query: { ...auditLogApiQuery(filters), limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
);

/** The Actor and Action filters' choices: who has made changes, and which operations the log holds. */
export const auditLogFilterChoicesAction = defineAction({ input: z.object({}) }, async (_input, { api }) =>
  fromApi(await api.GET("/v2/audit-logs/filters")),
);
