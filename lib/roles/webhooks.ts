import { ALLOWED, refused, type Decision } from "./decision";
import type { ScopeRole } from "./names";

/**
 * Webhooks belong to an organization: its admins manage them (account admins are admin of every
 * organization). `orgRole` is the caller's effective role there; null when it is out of reach.
 */
export function mayManageWebhooks(orgRole: ScopeRole | null): Decision {
  return orgRole === "admin" ? ALLOWED : refused("Only the organization's admins manage its webhooks.");
}

/** Whether the Webhooks page is for this viewer: an admin of at least one organization. */
export function mayOpenWebhooks(viewer: { organizations: { role: string }[] }): boolean {
  return viewer.organizations.some((o) => o.role === "admin");
}
