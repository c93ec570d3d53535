/**
 * The directory's answers in each request's dialect (dialect.ts): lowercase names by default,
 * SCREAMING_SNAKE for generation C, role objects for generation D.
 */
import { encodeId } from "../domain/ids";
import type { DirectoryEntry, MembershipView } from "../directory/scopes/scope-kinds";
import type { UserView } from "../directory/users";
import type { AuditLogView } from "../directory/audit-logs";
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

/** Legacy action names of rows written before the directory API, as operation ids. */
const OPERATION_NAMES: Record<string, string> = {
  "api_key.create": "create_api_key",
  "api_key.revoke": "revoke_api_key",
  "api_key.refresh": "refresh_api_key",
  "user.block": "delete_user",
  "session.create": "create_session",
  "session.delete": "delete_session",
};

export function auditLogJson(entry: AuditLogView) {
  return {
    id: Buffer.from(`AuditLog:${entry.id}`).toString("base64"),
    user_id: encodeId("User", entry.userId),
    ip: entry.ip ?? "",
    operation_type: "MUTATION" as const,
    operation_name: OPERATION_NAMES[entry.action] ?? entry.action,
    variables: JSON.stringify(entry.details?.variables ?? withoutVariables(entry.details)),
    created_at: entry.at.toISOString(),
  };
}

function withoutVariables(details: AuditLogView["details"]) {
  if (!details) return {};
  const { variables: _variables, ...rest } = details;
  return rest;
}
