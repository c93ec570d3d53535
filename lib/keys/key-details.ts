/**
 * One key and what happened to it (lifecycle.md §1): its details, who revoked it and why, where it is
 * used from, and its audit rows. Visible to whoever may see it in the list; to others it does not exist.
 */
import { and, desc, eq, lt } from "drizzle-orm";
import {
  apiKeyAddresses,
  apiKeys,
  auditLog,
  users,
  type AuditDetails,
  type RevocationReason,
} from "../db/schema";
import { decodeId } from "../domain/ids";
import { decodeSequenceCursor, encodeSequenceCursor, type Page } from "../domain/pagination";
import type { Principal } from "../auth/principal";
import { loadVisibleKey, type KeyDeps } from "./api-keys";
import { attachDetails, type ApiKeyView } from "./key-view";
import { ADDRESSES_KEPT } from "./usage";
import { listLeakReports, type LeakReportView } from "./leaks";

interface Person {
  id: string;
  name: string;
  email: string | null;
}

interface KeyAddressView {
  address: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  requests: number;
  userAgent: string | null;
}

export interface ApiKeyDetailsView extends ApiKeyView {
  revokedAt: Date | null;
  revokedBy: Person | null;
  revocationReason: RevocationReason | null;
  refreshedAt: Date | null;
  usage: {
    addresses: KeyAddressView[];
    /** Only while a previous secret is in its grace. */
    previousSecretLastUsedAt: Date | null;
  };
  /** Where its secrets were reported found (lifecycle.md §6), newest first. */
  leakReports: LeakReportView[];
}

export async function getApiKey(
  deps: KeyDeps,
  input: { principal: Principal; keyId: string },
): Promise<ApiKeyDetailsView> {
  const key = await loadVisibleKey(deps.db, input.principal, decodeId("ApiKey", input.keyId), false);
  const { boundSpaceIds: _bound, ...view } = key;
  const [[history], addresses, leakReports] = await Promise.all([
    deps.db
      .select({
        revokedAt: apiKeys.revokedAt,
        revocationReason: apiKeys.revocationReason,
        refreshedAt: apiKeys.refreshedAt,
        previousSecretLastUsedAt: apiKeys.previousSecretLastUsedAt,
        revokedById: users.id,
        revokedByName: users.name,
        revokedByEmail: users.email,
      })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.revokedByUserId))
      .where(eq(apiKeys.id, key.id)),
    deps.db
      .select({
        address: apiKeyAddresses.address,
        firstSeenAt: apiKeyAddresses.firstSeenAt,
        lastSeenAt: apiKeyAddresses.lastSeenAt,
        requests: apiKeyAddresses.requests,
        userAgent: apiKeyAddresses.userAgent,
      })
      .from(apiKeyAddresses)
      .where(eq(apiKeyAddresses.apiKeyId, key.id))
      .orderBy(desc(apiKeyAddresses.lastSeenAt), apiKeyAddresses.address)
      .limit(ADDRESSES_KEPT),
    listLeakReports(deps.db, key.id),
    attachDetails(deps.db, deps.clock, [view]),
  ]);
  const inGrace = view.status === "active" && !!view.details?.graceUntil;
  return {
    ...view,
    revokedAt: history?.revokedAt ?? null,
    revokedBy:
      history?.revokedById && history.revokedByName
        ? { id: history.revokedById, name: history.revokedByName, email: history.revokedByEmail }
        : null,
    revocationReason: history?.revocationReason ?? null,
    refreshedAt: history?.refreshedAt ?? null,
    usage: {
      addresses,
      previousSecretLastUsedAt: inGrace ? (history?.previousSecretLastUsedAt ?? null) : null,
    },
    leakReports,
  };
}

export interface ApiKeyEventView {
  id: number;
  userId: string | null;
  user: Person | null;
  ip: string | null;
  action: string;
  details: AuditDetails | null;
  at: Date;
}

/** The key's audit rows, newest first, paged like the audit log. */
export async function listApiKeyEvents(
  deps: KeyDeps,
  input: { principal: Principal; keyId: string; limit: number; cursor?: string },
): Promise<Page<ApiKeyEventView>> {
  const key = await loadVisibleKey(deps.db, input.principal, decodeId("ApiKey", input.keyId), false);
  const before = input.cursor ? decodeSequenceCursor(input.cursor) : undefined;
  const rows = await deps.db
    .select({
      id: auditLog.id,
      userId: auditLog.actorUserId,
      ip: auditLog.clientAddress,
      action: auditLog.action,
      details: auditLog.details,
      at: auditLog.at,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        eq(auditLog.targetType, "api_key"),
        eq(auditLog.targetId, key.id),
        eq(auditLog.accountId, key.accountId),
        before !== undefined ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(({ actorName, actorEmail, ...row }) => ({
    ...row,
    user: row.userId && actorName ? { id: row.userId, name: actorName, email: actorEmail } : null,
  }));
  const last = items[items.length - 1];
  return rows.length > input.limit && last ? { items, nextCursor: encodeSequenceCursor(last.id) } : { items };
}
