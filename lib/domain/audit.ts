import type { DbOrTx } from "../db/client";
import { auditLog, type AuditDetails } from "../db/schema";

type ActorCredential = "session" | "user_key" | "service_key" | "cli" | "system" | "anonymous";

export interface AuditEntry {
  at: Date;
  accountId?: string | null;
  actorUserId?: string | null;
  actorCredential: ActorCredential;
  action: string;
  targetType:
    | "user"
    | "session"
    | "api_key"
    | "account"
    | "organization"
    | "space"
    | "webhook"
    | "webhook_subscription";
  targetId?: string | null;
  clientAddress?: string | null;
  /** Never a secret. `variables` holds the request body (secrets removed) for GET /v2/audit-logs. */
  details?: AuditDetails;
}

/** Call inside the transaction that makes the change, so the row and the change stand or fall together. */
export async function writeAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: entry.at,
    accountId: entry.accountId ?? null,
    actorUserId: entry.actorUserId ?? null,
    actorCredential: entry.actorCredential,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    clientAddress: entry.clientAddress ?? null,
    details: entry.details ?? null,
  });
}
