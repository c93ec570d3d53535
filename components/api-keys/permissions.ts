import {
  allSpaces,
  clampReason,
  mayCreateServiceKey,
  mayManageServiceKey,
  mayRefreshUserKey,
  mayRevokeUserKey,
  spaceContext,
  type SpaceContext,
  type ViewerScopes,
} from "@/lib/roles/roles";
import type { Decision } from "@/lib/roles/decision";
import type { ApiKeyRow, Viewer } from "./types";

export interface ActionPermission {
  allowed: boolean;
  reason?: string;
}

/**
 * What the viewer may do with a row, by the API's own rules (lib/roles), so the page does not offer
 * what the server would refuse. A convenience only: the API decides. Null = no actions at all.
 */
export function rowPermissions(
  viewer: Viewer,
  key: ApiKeyRow,
): { refresh: ActionPermission; revoke: ActionPermission } | null {
  if (key.status === "revoked") return null;
  const own = key.created_by_user_id === viewer.user.id;
  if (key.key_type === "user") {
    const revoke = mayRevokeUserKey(own, viewer.account_role === "admin");
    return revoke.allowed ? { refresh: permission(mayRefreshUserKey(own)), revoke: { allowed: true } } : null;
  }
  const context = key.space_id ? spaceContext(viewer, key.space_id) : null;
  // A key the viewer may not manage offers no actions at all (rather than disabled ones).
  if (!context || !mayManageServiceKey(context.space, own, "revoke").allowed) return null;
  const roles = key.roles;
  const reason = roles
    ? (clampReason("space", roles.space_role, viewer, context) ??
      clampReason("org", roles.org_role, viewer, context) ??
      clampReason("account", roles.account_role, viewer, context))
    : null;
  return {
    refresh: reason
      ? { allowed: false, reason: `This key's roles are above yours. ${reason}` }
      : { allowed: true },
    revoke: { allowed: true },
  };
}

function permission(decision: Decision): ActionPermission {
  return decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason };
}

/** The contract's visible words for it (dashboard.md), without the API's full stop. */
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
  return spaces.some((c) => mayCreateServiceKey(c.space.role).allowed) ? null : READ_ONLY_REASON;
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
  if (selected) return mayCreateServiceKey(selected.space.role).allowed ? null : READ_ONLY_REASON;
  return serviceKeyUnavailableReason(viewer);
}
