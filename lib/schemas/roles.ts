/** Role order and labels, shared by the forms, the actions and the table (no server code here). */
export type ScopeRoleValue = "admin" | "member" | "read-only";
export type AccountRoleValue = "admin" | "member";

const RANK: Record<ScopeRoleValue, number> = { admin: 3, member: 2, "read-only": 1 };

export const ROLE_LABEL: Record<ScopeRoleValue, string> = {
  admin: "Admin",
  member: "Member",
  "read-only": "Read-Only",
};

/** admin > member > read-only. */
export function roleWithin(role: ScopeRoleValue, cap: ScopeRoleValue): boolean {
  return RANK[role] <= RANK[cap];
}

export interface ViewerScopes {
  account_role: AccountRoleValue;
  organizations: {
    id: string;
    name: string;
    role: ScopeRoleValue;
    spaces: { id: string; name: string; role: ScopeRoleValue }[];
  }[];
}

export interface SpaceContext {
  space: { id: string; name: string; role: ScopeRoleValue };
  organization: { id: string; name: string; role: ScopeRoleValue };
}

export function spaceContext(viewer: ViewerScopes, spaceId: string): SpaceContext | null {
  for (const organization of viewer.organizations) {
    const space = organization.spaces.find((s) => s.id === spaceId);
    if (space) return { space, organization };
  }
  return null;
}

export function allSpaces(viewer: ViewerScopes): SpaceContext[] {
  return viewer.organizations.flatMap((organization) =>
    organization.spaces.map((space) => ({ space, organization })),
  );
}

/** Why a role is out of reach, or null when the viewer may grant it. */
export function clampReason(
  scope: "space" | "org" | "account",
  role: ScopeRoleValue,
  viewer: ViewerScopes,
  context: SpaceContext | null,
): string | null {
  if (scope === "account") {
    return role === "admin" && viewer.account_role !== "admin"
      ? `Limited to your account role: ${ROLE_LABEL[viewer.account_role]}`
      : null;
  }
  if (!context) return null;
  const target = scope === "space" ? context.space : context.organization;
  return roleWithin(role, target.role)
    ? null
    : `Limited to your role in ${target.name}: ${ROLE_LABEL[target.role]}`;
}
