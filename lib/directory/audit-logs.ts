import { and, desc, eq, gte, isNotNull, lt, lte } from "drizzle-orm";
import { auditLog, type AuditDetails } from "../db/schema";
import { forbidden, invalid } from "../domain/errors";
import { decodeSequenceCursor, encodeSequenceCursor, type Page } from "../domain/pagination";
import { isAccountAdmin } from "../auth/principal";
import type { Actor, DirectoryDeps } from "./context";

export interface AuditLogView {
  id: number;
  userId: string;
  ip: string | null;
  action: string;
  details: AuditDetails | null;
  at: Date;
}

const DEFAULT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The account's audit rows made by people and keys (not the admin CLI or failed sign-ins), newest
 * first. Account admins only. Every row is a change: reads are never logged.
 */
export async function listAuditLogs(
  deps: DirectoryDeps,
  input: Actor & {
    startTime?: Date;
    endTime?: Date;
    /** Decoded user id; null = an id that names nobody (matches nothing). */
    userId?: string | null;
    operationType?: "mutation" | "query" | "subscription";
    limit: number;
    cursor?: string;
  },
): Promise<Page<AuditLogView>> {
  if (!isAccountAdmin(input.principal)) throw forbidden("Only account admins can read the audit log.");
  const end = input.endTime ?? deps.clock.now();
  const start = input.startTime ?? new Date(end.getTime() - DEFAULT_WINDOW_MS);
  if (start.getTime() > end.getTime())
    throw invalid("`start_time` must not be after `end_time`.", "start_time");
  if (input.userId === null || (input.operationType && input.operationType !== "mutation"))
    return { items: [] };
  const before = input.cursor ? decodeSequenceCursor(input.cursor) : undefined;
  const rows = await deps.db
    .select({
      id: auditLog.id,
      userId: auditLog.actorUserId,
      ip: auditLog.clientAddress,
      action: auditLog.action,
      details: auditLog.details,
      at: auditLog.at,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.accountId, input.principal.user.accountId),
        isNotNull(auditLog.actorUserId),
        gte(auditLog.at, start),
        lte(auditLog.at, end),
        input.userId ? eq(auditLog.actorUserId, input.userId) : undefined,
        before !== undefined ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const items: AuditLogView[] = [];
  for (const row of rows.slice(0, input.limit)) if (row.userId) items.push({ ...row, userId: row.userId });
  const last = items[items.length - 1];
  return rows.length > input.limit && last ? { items, nextCursor: encodeSequenceCursor(last.id) } : { items };
}
