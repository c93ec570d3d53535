import type { Clock } from "../clock";
import type { Db, DbOrTx } from "../db/client";
import type { AuditDetails, AuditValue } from "../db/schema";
import { writeAudit, type AuditEntry } from "../domain/audit";
import { notFound } from "../domain/errors";
import type { Principal } from "../auth/principal";
import type { Mailer } from "../domain/mailer";

/** Told after a directory change commits, so this instance's cache of verified keys drops it at once. */
export interface DirectoryEvents {
  /** Roles or status of these users changed. */
  usersChanged(userIds: string[]): void;
  /** Organizations or spaces were created, renamed or deleted (they appear in every cached principal). */
  directoryChanged?(): void;
  /** These keys were revoked (a scope they were bound to was deleted with `force`). */
  keysChanged?(keyIds: string[]): void;
}

export interface DirectoryDeps {
  db: Db;
  clock: Clock;
  /** Sends invitation and reset emails when SMTP is configured. */
  mailer?: Mailer;
  events?: DirectoryEvents;
}

export interface Actor {
  principal: Principal;
  clientAddress?: string | null;
}

/** Field names whose values never reach an audit row. */
const SECRET_FIELD = /password|token|secret|^key$/i;

/** The request body for the audit row's `variables`, with every secret removed. */
function auditVariables(body: unknown): AuditValue {
  if (Array.isArray(body)) return body.map(auditVariables);
  if (body && typeof body === "object") {
    // fromEntries defines each field as its own property: a field named `__proto__` stays a field
    // (an assignment would set the object's prototype instead).
    const out: AuditDetails = Object.fromEntries(
      Object.entries(body)
        .filter(([k, v]) => v !== undefined && !SECRET_FIELD.test(k))
        .map(([k, v]) => [k, auditVariables(v)]),
    );
    return out;
  }
  if (typeof body === "string" || typeof body === "number" || typeof body === "boolean" || body === null)
    return body;
  return null;
}

/**
 * One audit row for one directory operation, inside its transaction. `operation` is the operation's
 * id (`create_user`, `add_space_user`, …), as 1.28's AuditLog `operation_name` reports it.
 */
export async function auditOperation(
  tx: DbOrTx,
  actor: Actor,
  at: Date,
  entry: {
    operation: string;
    targetType: AuditEntry["targetType"];
    targetId: string | null;
    variables?: unknown;
    facts?: AuditDetails;
  },
): Promise<void> {
  await writeAudit(tx, {
    at,
    accountId: actor.principal.user.accountId,
    actorUserId: actor.principal.user.id,
    actorCredential: actor.principal.credential.type,
    action: entry.operation,
    targetType: entry.targetType,
    targetId: entry.targetId,
    clientAddress: actor.clientAddress,
    details: {
      ...(entry.variables !== undefined ? { variables: auditVariables(entry.variables) } : {}),
      ...entry.facts,
    },
  });
}

/**
 * The row a change wrote (404 when it wrote none), after the change's audit row: the request's
 * `variables`, the row as its target.
 */
export async function auditedRow<T extends { id: string }>(
  tx: DbOrTx,
  actor: Actor & { variables?: unknown },
  at: Date,
  row: T | undefined,
  entry: { operation: string; targetType: AuditEntry["targetType"] },
): Promise<T> {
  if (!row) throw notFound();
  await auditOperation(tx, actor, at, { ...entry, targetId: row.id, variables: actor.variables });
  return row;
}

/** A unique-index violation (23505), from pg or PGlite, possibly wrapped by Drizzle. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
