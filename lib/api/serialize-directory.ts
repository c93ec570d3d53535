/**
 * The directory's answers in each request's dialect (dialect.ts): lowercase names by default,
 * SCREAMING_SNAKE for generation C, role objects for generation D.
 */
import { encodeId, type IdType } from "../domain/ids";
import type { DirectoryEntry, MembershipView } from "../directory/scopes/scope-kinds";
import type { UserView } from "../directory/users";
import type { AuditLogView } from "../directory/audit-logs";
import { operationNameOf } from "../schemas/audit-actions";
import { enumValue, has, type Dialect } from "./dialect";

export type RoleJson = string | { type: "PREDEFINED"; name: string };

function roleJson(dialect: Dialect, role: string): RoleJson {
  if (dialect.generation === "D") return { type: "PREDEFINED", name: enumValue(dialect, role) };
  return enumValue(dialect, role);
}

/** Generations C/D have no `blocked` status: blocked people are 404 to them, and never listed. */
export const seesBlocked = (dialect: Dialect) => !dialect.upperEnums;

export function userJson(dialect: Dialect, user: UserView) {
  return {
    id: encodeId("User", user.id),
    name: user.name,
    email: user.email,
    created_at: user.createdAt.toISOString(),
    status: enumValue(dialect, user.status),
    role: roleJson(dialect, user.accountRole),
    is_developer: user.isDeveloper,
  };
}

/** [ext] A listed scope's `member_count`, for the default dialect only (no Arize client's schema has it). */
const memberCountJson = (dialect: Dialect, entry: { memberCount?: number }) =>
  entry.memberCount !== undefined && has(dialect, "scope.member_count")
    ? { member_count: entry.memberCount }
    : {};

export function spaceJson(
  dialect: Dialect,
  space: DirectoryEntry & { isPrivate: boolean; memberCount?: number },
) {
  return {
    id: encodeId("Space", space.id),
    name: space.name,
    description: space.description,
    created_at: space.createdAt.toISOString(),
    // In the default dialect, TypeScript ≥ 1.27 and Python ≥ 8.43 (dialect.ts's field table).
    ...(has(dialect, "space.is_private") ? { is_private: space.isPrivate } : {}),
    ...memberCountJson(dialect, space),
  };
}

export function organizationJson(dialect: Dialect, entry: DirectoryEntry & { memberCount?: number }) {
  return {
    id: encodeId("Organization", entry.id),
    name: entry.name,
    description: entry.description,
    created_at: entry.createdAt.toISOString(),
    ...memberCountJson(dialect, entry),
  };
}

/** 1.28's membership object; [ext] member lists add `user` {name, email, status}. */
export function membershipJson(dialect: Dialect, m: MembershipView, withUser: boolean) {
  const scope =
    m.scope === "organization"
      ? { organization_id: encodeId("Organization", m.scopeId) }
      : { space_id: encodeId("Space", m.scopeId) };
  return {
    id: Buffer.from(
      `${m.scope === "organization" ? "OrganizationMembership" : "SpaceMembership"}:${m.scopeId}:${m.userId}`,
    ).toString("base64"),
    user_id: encodeId("User", m.userId),
    ...scope,
    role: roleJson(dialect, m.role),
    ...(withUser && m.user
      ? { user: { name: m.user.name, email: m.user.email, status: enumValue(dialect, m.user.status) } }
      : {}),
  };
}

const TARGET_ID_TYPES: Record<string, IdType> = {
  api_key: "ApiKey",
  user: "User",
  space: "Space",
  organization: "Organization",
};

/** A target's public id: the API's id for a key, person, space or organization; none for others. */
export function targetPublicId(entry: AuditLogView): string | null {
  const type = Object.hasOwn(TARGET_ID_TYPES, entry.targetType)
    ? TARGET_ID_TYPES[entry.targetType]
    : undefined;
  return type && entry.targetId ? encodeId(type, entry.targetId) : null;
}

export function auditLogJson(dialect: Dialect, entry: AuditLogView) {
  return {
    id: Buffer.from(`AuditLog:${entry.id}`).toString("base64"),
    user_id: entry.userId ? encodeId("User", entry.userId) : "",
    ip: entry.ip ?? "",
    operation_type: "MUTATION" as const,
    operation_name: operationNameOf(entry.action),
    variables: JSON.stringify(entry.details?.variables ?? withoutVariables(entry.details)),
    created_at: entry.at.toISOString(),
    ...(has(dialect, "audit_log.names")
      ? {
          actor: entry.actor ? { ...entry.actor, id: encodeId("User", entry.actor.id) } : null,
          actor_credential: entry.actorCredential,
          target: { type: entry.targetType, id: targetPublicId(entry), name: entry.targetName },
        }
      : {}),
  };
}

function withoutVariables(details: AuditLogView["details"]) {
  if (!details) return {};
  const { variables: _variables, ...rest } = details;
  return rest;
}
