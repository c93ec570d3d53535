/**
 * What the directory actions hand to the pages: the API's people, organizations, spaces and
 * memberships, in the shapes the tables and dialogs use. Types only; no server code.
 */
import type { AccountRole, ScopeRole } from "../roles/roles";

export type UserStatus = "active" | "invited" | "expired" | "blocked";

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A person on the Members page. */
export interface Member {
  id: string;
  name: string;
  email: string;
  accountRole: AccountRole;
  status: UserStatus;
  createdAt: string;
}

/** A person's membership of one organization or space. */
export interface ScopeMember {
  userId: string;
  name: string;
  email: string;
  status: UserStatus;
  role: ScopeRole;
}

interface SpaceSummary {
  id: string;
  name: string;
  description: string;
  isPrivate: boolean;
  /** The viewer's effective role there. */
  role: ScopeRole;
  memberCount: number | null;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  description: string;
  role: ScopeRole;
  memberCount: number | null;
  spaces: SpaceSummary[];
}

/** A space's or an organization's page. */
export interface ScopeDetail {
  kind: "space" | "organization";
  id: string;
  name: string;
  description: string;
  isPrivate: boolean;
  /** The viewer's effective role here (null: reachable only as an admin above it). */
  role: ScopeRole | null;
  /** A space's organization. */
  organization: { id: string; name: string; role: ScopeRole | null } | null;
}

/** A one-time secret for the Share the invitation dialog; it lives only in that dialog's state. */
export interface Invitation {
  name: string;
  kind: "temporary_password" | "invite_link";
  secret: string;
}
