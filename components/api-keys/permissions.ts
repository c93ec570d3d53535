import {
  allSpaces,
  clampReason,
  spaceContext,
  type SpaceContext,
  type ViewerScopes,
} from "@/lib/schemas/roles";
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

export const READ_ONLY_REASON = "Read-only members can't create service keys";

/**
 * Why the viewer cannot make a service key anywhere, or null when some space allows it. Having no
 * space at all is not the same as being read-only: an account admin of a new account is told so.
 */
export function serviceKeyUnavailableReason(viewer: ViewerScopes): string | null {
  const spaces = allSpaces(viewer);
  if (spaces.length === 0) {
    return viewer.account_role === "admin" ? "No spaces yet" : "You don't have access to any space";
  }
  return spaces.some((c) => c.space.role !== "read-only") ? null : READ_ONLY_REASON;
}

/**
 * Why New API Key is disabled on this tab, or null. On the Service Keys tab with one space chosen,
 * that space decides; with all spaces, any space that allows it will do.
 */
export function createDisabledReason(
  viewer: Viewer,
  tab: "user" | "service",
  selected: SpaceContext | undefined,
): string | null {
  if (tab === "user") return viewer.user.kind === "bot" ? "Service keys can't create user keys" : null;
  if (selected) return selected.space.role === "read-only" ? READ_ONLY_REASON : null;
  return serviceKeyUnavailableReason(viewer);
}
