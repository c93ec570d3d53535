import { clampReason, spaceContext, type ViewerScopes } from "@/lib/schemas/roles";
import type { ApiKeyRow, Viewer } from "./types";

export interface ActionPermission {
  allowed: boolean;
  reason?: string;
}

/**
 * What the viewer may do with a row, mirroring the API's rules so the page does not offer what the
 * server would refuse. A convenience only: the API decides. Null = no actions at all.
 */
export function rowPermissions(
  viewer: Viewer,
  key: ApiKeyRow,
): { refresh: ActionPermission; revoke: ActionPermission } | null {
  if (key.status === "revoked") return null;
  if (key.key_type === "user") {
    const own = key.created_by_user_id === viewer.user.id;
    if (own) return { refresh: { allowed: true }, revoke: { allowed: true } };
    if (viewer.account_role === "admin") {
      return {
        refresh: { allowed: false, reason: "Only the key's owner can refresh it" },
        revoke: { allowed: true },
      };
    }
    return null;
  }
  const context = key.space_id ? spaceContext(viewer, key.space_id) : null;
  if (!context || context.space.role === "read-only") return null;
  if (context.space.role === "member" && key.created_by_user_id !== viewer.user.id) return null;
  const roles = key.roles;
  const scopes: ViewerScopes = viewer;
  const reason = roles
    ? (clampReason("space", roles.space_role, scopes, context) ??
      clampReason("org", roles.org_role, scopes, context) ??
      clampReason("account", roles.account_role, scopes, context))
    : null;
  return {
    refresh: reason
      ? { allowed: false, reason: `This key's roles are above yours. ${reason}` }
      : { allowed: true },
    revoke: { allowed: true },
  };
}
