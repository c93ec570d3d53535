import { and, desc, eq, gte, inArray, isNotNull, lt, lte, type SQL } from "drizzle-orm";
import { apiKeys, auditLog, organizations, spaces, users, type AuditDetails } from "../db/schema";
import type { DbOrTx } from "../db/client";
import { forbidden, invalid } from "../domain/errors";
import { decodeSequenceCursor, encodeSequenceCursor, type Page } from "../domain/pagination";
import { isAccountAdmin } from "../auth/principal";
import type { Principal } from "../auth/principal";
import { actionsNamed, operationNameOf } from "../schemas/audit-actions";
import type { Actor, DirectoryDeps } from "./context";

/** Who made a change, as the audit log page shows them. */
export interface AuditActor {
  id: string;
  name: string;
  email: string | null;
  kind: "person" | "bot";
}

export interface AuditLogView {
  id: number;
  /** null: nobody signed in made it (a failed sign-in, the admin CLI). */
  userId: string | null;
  ip: string | null;
  action: string;
  details: AuditDetails | null;
  at: Date;
  /** The actor's name and kind, when the row has one that still exists. */
  actor: AuditActor | null;
  /** How the change was authenticated: session, user_key, service_key, cli, anonymous, system. */
  actorCredential: string;
  targetType: string;
  /** The target's uuid (or text id); null for a failed sign-in, whose target is only the email tried. */
  targetId: string | null;
  /** What a person calls the target: a key's, space's or person's name, the email a sign-in tried. */
  targetName: string | null;
}

export interface AuditLogFilters {
  startTime?: Date;
  endTime?: Date;
  /** Decoded user id of the actor; null = an id that names nobody (matches nothing). */
  userId?: string | null;
  /** Arize's `operation_name` (exact, case-sensitive; any of them). */
  operationNames?: string[];
  operationType?: "mutation" | "query" | "subscription";
  /** [ext] Also rows nobody signed in made: failed sign-ins (actor unknown), the admin CLI. */
  includeUnattributed?: boolean;
}

const DEFAULT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** Rows per database query while exporting: big enough to be quick, small enough to stream. */
const EXPORT_PAGE = 1000;

function assertMayRead(principal: Principal) {
  if (!isAccountAdmin(principal)) throw forbidden("Only account admins can read the audit log.");
}

/** The filters as one condition; null when they can match nothing. */
function whereOf(deps: DirectoryDeps, principal: Principal, filters: AuditLogFilters): SQL | null {
  const end = filters.endTime ?? deps.clock.now();
  const start = filters.startTime ?? new Date(end.getTime() - DEFAULT_WINDOW_MS);
  if (start.getTime() > end.getTime())
    throw invalid("`start_time` must not be after `end_time`.", "start_time");
  if (filters.userId === null || (filters.operationType && filters.operationType !== "mutation")) return null;
  const actions = filters.operationNames?.flatMap(actionsNamed);
  return (
    and(
      eq(auditLog.accountId, principal.user.accountId),
      filters.includeUnattributed ? undefined : isNotNull(auditLog.actorUserId),
      gte(auditLog.at, start),
      lte(auditLog.at, end),
      filters.userId ? eq(auditLog.actorUserId, filters.userId) : undefined,
      actions?.length ? inArray(auditLog.action, actions) : undefined,
    ) ?? null
  );
}

const ROW = {
  id: auditLog.id,
  userId: auditLog.actorUserId,
  actorCredential: auditLog.actorCredential,
  ip: auditLog.clientAddress,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  details: auditLog.details,
  at: auditLog.at,
};

async function pageOf(db: DbOrTx, where: SQL, before: number | undefined, limit: number) {
  return db
    .select(ROW)
    .from(auditLog)
    .where(before !== undefined ? and(where, lt(auditLog.id, before)) : where)
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

type Row = Awaited<ReturnType<typeof pageOf>>[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The email a failed sign-in tried, as its row stores it (`details.variables.email`). */
function attemptedEmail(details: AuditDetails | null): string | null {
  const variables = details?.variables;
  if (!variables || typeof variables !== "object" || Array.isArray(variables)) return null;
  const email = variables.email;
  return typeof email === "string" ? email : null;
}

/**
 * The names of a page's actors and targets, in one query per kind of thing. A key, space or person
 * deleted since keeps its id only (name null). A failed sign-in's target is the email tried, never
 * the person it belongs to: nobody proved who they were.
 */
async function withNames(db: DbOrTx, accountId: string, rows: Row[]): Promise<AuditLogView[]> {
  const ids = {
    user: new Set<string>(),
    api_key: new Set<string>(),
    organization: new Set<string>(),
    space: new Set<string>(),
  };
  for (const row of rows) {
    if (row.userId) ids.user.add(row.userId);
    if (row.action === "session.sign_in_failed" || !row.targetId || !UUID.test(row.targetId)) continue;
    if (row.targetType in ids) ids[row.targetType as keyof typeof ids].add(row.targetId);
  }
  const names = async (
    set: Set<string>,
    query: (list: string[]) => Promise<{ id: string; name: string }[]>,
  ): Promise<Map<string, string>> =>
    new Map(set.size ? (await query([...set])).map((r) => [r.id, r.name]) : []);
  const people = new Map(
    ids.user.size
      ? (
          await db
            .select({ id: users.id, name: users.name, email: users.email, kind: users.kind })
            .from(users)
            .where(and(eq(users.accountId, accountId), inArray(users.id, [...ids.user])))
        ).map((u) => [u.id, u])
      : [],
  );
  const [keyNames, organizationNames, spaceNames] = await Promise.all([
    names(ids.api_key, (list) =>
      db
        .select({ id: apiKeys.id, name: apiKeys.name })
        .from(apiKeys)
        .where(and(eq(apiKeys.accountId, accountId), inArray(apiKeys.id, list))),
    ),
    names(ids.organization, (list) =>
      db
        .select({ id: organizations.id, name: organizations.name })
        .from(organizations)
        .where(and(eq(organizations.accountId, accountId), inArray(organizations.id, list))),
    ),
    names(ids.space, (list) =>
      db
        .select({ id: spaces.id, name: spaces.name })
        .from(spaces)
        .innerJoin(organizations, eq(organizations.id, spaces.organizationId))
        .where(and(eq(organizations.accountId, accountId), inArray(spaces.id, list))),
    ),
  ]);
  return rows.map((row) => {
    const person = row.userId ? people.get(row.userId) : undefined;
    const actor: AuditActor | null = person
      ? {
          id: person.id,
          name: person.name,
          email: person.email,
          kind: person.kind === "bot" ? "bot" : "person",
        }
      : null;
    if (row.action === "session.sign_in_failed")
      return { ...row, actor, targetId: null, targetName: attemptedEmail(row.details) };
    let targetName: string | null = null;
    if (row.targetId) {
      if (row.targetType === "user") {
        const target = people.get(row.targetId);
        targetName = target ? target.name : null;
      } else if (row.targetType === "api_key") targetName = keyNames.get(row.targetId) ?? null;
      else if (row.targetType === "organization") targetName = organizationNames.get(row.targetId) ?? null;
      else if (row.targetType === "space") targetName = spaceNames.get(row.targetId) ?? null;
    }
    return { ...row, actor, targetName };
  });
}

/**
 * The account's audit rows made by people and keys (and with `includeUnattributed`, failed sign-ins
 * and the admin CLI's), newest first. Account admins only. Every row is a change: reads are never logged.
 */
export async function listAuditLogs(
  deps: DirectoryDeps,
  input: Actor & AuditLogFilters & { limit: number; cursor?: string },
): Promise<Page<AuditLogView>> {
  assertMayRead(input.principal);
  const where = whereOf(deps, input.principal, input);
  const before = input.cursor ? decodeSequenceCursor(input.cursor) : undefined;
  if (!where) return { items: [] };
  const rows = await pageOf(deps.db, where, before, input.limit + 1);
  const items = await withNames(deps.db, input.principal.user.accountId, rows.slice(0, input.limit));
  const last = items[items.length - 1];
  return rows.length > input.limit && last ? { items, nextCursor: encodeSequenceCursor(last.id) } : { items };
}

/**
 * Every row the filters match, newest first, in pages read one after another as the consumer asks
 * (the CSV export streams them). Refuses (throws) before the first row: call it before answering.
 */
export function exportAuditLogs(
  deps: DirectoryDeps,
  input: Actor & AuditLogFilters,
): AsyncGenerator<AuditLogView[], void, undefined> {
  assertMayRead(input.principal);
  const where = whereOf(deps, input.principal, input);
  const accountId = input.principal.user.accountId;
  return (async function* pages() {
    if (!where) return;
    let before: number | undefined;
    for (;;) {
      const rows = await pageOf(deps.db, where, before, EXPORT_PAGE);
      if (rows.length > 0) yield await withNames(deps.db, accountId, rows);
      const last = rows[rows.length - 1];
      if (rows.length < EXPORT_PAGE || !last) return;
      before = last.id;
    }
  })();
}

/** The audit log page's filter choices: who has made changes (people and bots), and which operations. */
export async function auditLogFilterChoices(
  deps: DirectoryDeps,
  input: Actor,
): Promise<{ actors: AuditActor[]; operationNames: string[] }> {
  assertMayRead(input.principal);
  const accountId = input.principal.user.accountId;
  const [actors, actions] = await Promise.all([
    deps.db
      .selectDistinct({ id: users.id, name: users.name, email: users.email, kind: users.kind })
      .from(auditLog)
      .innerJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(eq(auditLog.accountId, accountId), eq(users.accountId, accountId))),
    deps.db
      .selectDistinct({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.accountId, accountId)),
  ]);
  return {
    actors: actors
      .map((a): AuditActor => ({
        id: a.id,
        name: a.name,
        email: a.email,
        kind: a.kind === "bot" ? "bot" : "person",
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    operationNames: [...new Set(actions.map((a) => operationNameOf(a.action)))].sort(),
  };
}
