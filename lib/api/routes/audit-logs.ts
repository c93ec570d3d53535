import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { decodeId, encodeId } from "../../domain/ids";
import {
  auditLogFilterChoices,
  exportAuditLogs,
  type AuditLogFilters,
  type AuditLogView,
} from "../../directory/audit-logs";
import {
  auditActionLabel,
  auditActorLabel,
  auditTargetTypeLabel,
  operationNameOf,
} from "../../schemas/audit-actions";
import { AuditLogFilterChoicesSchema, ExportAuditLogsQuerySchema } from "../../schemas/roles-and-audit";
import type { ApiDeps, ApiEnv } from "../context";
import { csvRow } from "../csv";
import { targetPublicId } from "../serialize-directory";
import { has, type Dialect } from "../dialect";
import { authErrors, bearer, errors, json } from "./common";
import { actorOf, directoryDeps } from "./support";

type FilterQuery = z.output<typeof ExportAuditLogsQuerySchema>;

/** The audit log's filters from a list or export query (the list's and the export's are the same). */
export function auditLogFilters(dialect: Dialect, q: FilterQuery): AuditLogFilters {
  return {
    startTime: q.start_time,
    endTime: q.end_time,
    userId: q.user_id === undefined ? undefined : decodeId("User", q.user_id),
    operationNames: q.operation_name,
    operationType: q.operation_type,
    // Rows without a user would break the user_id of Arize's clients' AuditLog: Keydesk's dialect only.
    includeUnattributed: q.include_unattributed && has(dialect, "audit_log.names"),
  };
}

const CSV_HEADER = [
  "Time",
  "Actor",
  "Actor email",
  "Action",
  "Operation",
  "Target type",
  "Target",
  "Target ID",
  "Address",
] as const;

function csvRecord(entry: AuditLogView): string {
  const operation = operationNameOf(entry.action);
  return csvRow([
    entry.at.toISOString(),
    auditActorLabel(entry.actor, entry.actorCredential),
    entry.actor?.email ?? "",
    auditActionLabel(operation),
    operation,
    auditTargetTypeLabel(entry.targetType),
    entry.targetName ?? "",
    targetPublicId(entry) ?? "",
    entry.ip ?? "",
  ]);
}

/** The CSV as a byte stream that reads the next page from the database only when the last one is sent. */
function csvStream(pages: AsyncGenerator<AuditLogView[], void, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // The byte-order mark tells spreadsheets the file is UTF-8 (names in any script).
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(CSV_HEADER)}`));
        return;
      }
      const next = await pages.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(csvRecord).join("")));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

export function registerAuditLogRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/audit-logs/filters",
      tags: ["Audit"],
      summary: "The audit log's filter choices",
      description:
        "[ext] Account admins only. The people and bots that have made changes in the account, and the operation names " +
        "its audit log holds: the choices of the audit log page's Actor and Action filters.",
      security: bearer,
      middleware: [auth] as const,
      responses: {
        200: { description: "Filter choices", content: json(AuditLogFilterChoicesSchema) },
        ...authErrors,
        403: errors[403],
      },
    }),
    async (c) => {
      const choices = await auditLogFilterChoices(directoryDeps(deps), actorOf(c, deps));
      return c.json(
        {
          actors: choices.actors.map((a) => ({ ...a, id: encodeId("User", a.id) })),
          operation_names: choices.operationNames,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/audit-logs/export.csv",
      tags: ["Audit"],
      summary: "Export audit logs as CSV",
      description:
        "[ext] Account admins only. Every entry the filters match (those of List audit logs), newest first, as one CSV " +
        "file streamed as it is read: columns Time (UTC, ISO 8601), Actor, Actor email, Action, Operation, Target type, " +
        "Target, Target ID, Address. A cell that a spreadsheet would take for a formula (=, +, -, @) starts with `'`.",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ExportAuditLogsQuerySchema },
      responses: {
        200: { description: "The CSV file", content: { "text/csv": { schema: z.string() } } },
        ...authErrors,
        403: errors[403],
      },
    }),
    (c) => {
      const q = c.req.valid("query");
      // Refusals (not an admin, bad dates) are thrown here, before the 200 and its first byte.
      const pages = exportAuditLogs(directoryDeps(deps), {
        ...actorOf(c, deps),
        ...auditLogFilters(c.get("dialect"), q),
      });
      const day = deps.clock.now().toISOString().slice(0, 10);
      return c.body(csvStream(pages), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-log-${day}.csv"`,
        "cache-control": "no-store",
      });
    },
  );
}
