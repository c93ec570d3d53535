import { ACCOUNT_ROLES, ROLE_LABEL, SCOPE_ROLES, type ScopeRole } from "@/lib/roles/names";
import { clampReason, type RoleScope, type SpaceContext, type ViewerScopes } from "@/lib/roles/roles";

export interface RoleOption {
  role: ScopeRole;
  label: string;
  /** Why the viewer may not grant it, or null. */
  disabledReason: string | null;
}

/**
 * A role select's options for a service key in `context`: each role above the viewer's own at that
 * scope is disabled with the reason, and `limit` is the reason the field shows (the first one).
 */
export function roleOptions(
  scope: RoleScope,
  viewer: ViewerScopes,
  context: SpaceContext | null,
): { options: RoleOption[]; limit: string | undefined } {
  const roles: readonly ScopeRole[] = scope === "account" ? ACCOUNT_ROLES : SCOPE_ROLES;
  const options = roles.map((role) => ({
    role,
    label: ROLE_LABEL[role],
    disabledReason: clampReason(scope, role, viewer, context),
  }));
  const limit = options.find((o) => o.disabledReason !== null)?.disabledReason ?? undefined;
  return { options, limit };
}

/**
 * The space and org roles brought within the viewer's caps in `context` (after the space changes):
 * a role above the cap becomes the cap; anything allowed stays as chosen.
 */
export function clampedRoles(
  roles: { spaceRole: ScopeRole; orgRole: ScopeRole },
  viewer: ViewerScopes,
  context: SpaceContext | null,
): { spaceRole: ScopeRole; orgRole: ScopeRole } {
  if (!context) return roles;
  return {
    spaceRole: clampReason("space", roles.spaceRole, viewer, context) ? context.space.role : roles.spaceRole,
    orgRole: clampReason("org", roles.orgRole, viewer, context) ? context.organization.role : roles.orgRole,
  };
}
