/**
 * The roles' names, written once: the lists (in order, highest first), their labels, and their order.
 * The bottom of the role rules — no import at all — so the database schema, the zod schemas, the rules
 * and the components all spell the roles from here.
 */
export const ACCOUNT_ROLES = ["admin", "member"] as const;
export const SCOPE_ROLES = ["admin", "member", "read-only"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type ScopeRole = (typeof SCOPE_ROLES)[number];
export type Role = ScopeRole;

/** Admin, Member, Read-Only: how screens name a role. */
export const ROLE_LABEL: Record<Role, string> = {
  admin: "Admin",
  member: "Member",
  "read-only": "Read-Only",
};

const RANK: Record<Role, number> = { admin: 3, member: 2, "read-only": 1 };

/** admin > member > read-only. */
export function atMost(role: Role, cap: Role): boolean {
  return RANK[role] <= RANK[cap];
}
