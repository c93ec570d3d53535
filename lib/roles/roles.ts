export const ACCOUNT_ROLES = ["admin", "member"] as const;
export const SCOPE_ROLES = ["admin", "member", "read-only"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type ScopeRole = (typeof SCOPE_ROLES)[number];
export type Role = ScopeRole;

const RANK: Record<Role, number> = { admin: 3, member: 2, "read-only": 1 };

/** admin > member > read-only. */
export function roleRank(role: Role): number {
  return RANK[role];
}

export function atMost(role: Role, cap: Role): boolean {
  return RANK[role] <= RANK[cap];
}

export function maxRole(a: Role | null, b: Role | null): Role | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** One row per space of the account (or per organization without spaces), with the user's memberships. */
export interface DirectoryRow {
  organizationId: string;
  organizationName: string;
  organizationRole: ScopeRole | null;
  spaceId: string | null;
  spaceName: string | null;
  spaceRole: ScopeRole | null;
}

export interface EffectiveSpace {
  id: string;
  name: string;
  role: ScopeRole;
}

export interface EffectiveOrganization {
  id: string;
  name: string;
  role: ScopeRole;
  spaces: EffectiveSpace[];
}

/**
 * Effective roles, from the contract:
 * - organization: admin if account admin, else the organization membership role; a member of one of
 *   its spaces is at least read-only in it;
 * - space: admin if account admin or admin of the space's organization, else the space membership role.
 * Returns only what the user can reach, in the rows' order.
 */
export function effectiveRoles(accountRole: AccountRole, rows: DirectoryRow[]): EffectiveOrganization[] {
  const orgs = new Map<string, EffectiveOrganization & { membership: ScopeRole | null }>();
  for (const row of rows) {
    let org = orgs.get(row.organizationId);
    if (!org) {
      const role: ScopeRole | null = accountRole === "admin" ? "admin" : row.organizationRole;
      org = {
        id: row.organizationId,
        name: row.organizationName,
        role: role ?? "read-only",
        membership: role,
        spaces: [],
      };
      orgs.set(row.organizationId, org);
    }
    if (!row.spaceId || row.spaceName === null) continue;
    const spaceRole: ScopeRole | null = org.membership === "admin" ? "admin" : row.spaceRole;
    if (spaceRole) org.spaces.push({ id: row.spaceId, name: row.spaceName, role: spaceRole });
  }
  const reachable: EffectiveOrganization[] = [];
  for (const { membership, ...org } of orgs.values()) {
    if (membership !== null || org.spaces.length > 0) reachable.push(org);
  }
  return reachable;
}
