/**
 * The keys API's answers, reshaped once into what the dashboard shows (vercel/commerce's `reshape…`):
 * from the generated types, so no page re-reads an answer. The dashboard calls without `sdk-*` headers,
 * so answers come in the default dialect; role objects (`{ type, name }`) and SCREAMING_SNAKE values
 * are read too, so a dialect change cannot break a page. Pure; no server code.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];
export type Me = Schemas["Me"];
export type ScopeRole = Me["organizations"][number]["role"];
type AccountRole = Me["account_role"];
export type UserStatus = "active" | "invited" | "expired" | "blocked";

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A person on the Members page. */
export interface Member extends Pick<Schemas["User"], "id" | "name" | "email"> {
  accountRole: AccountRole;
  status: UserStatus;
  createdAt: string;
}

/** A person's membership of one organization or space. */
export interface ScopeMember extends Pick<NonNullable<Schemas["SpaceMembership"]["user"]>, "name" | "email"> {
  userId: string;
  status: UserStatus;
  role: ScopeRole;
}

/** An organization or a space, as its own answer and the lists give it. */
export interface Scope extends Pick<Schemas["Organization"], "id" | "name" | "description"> {
  isPrivate: boolean;
  /** How many people hold a role there: lists give it ([ext] `member_count`); null where not known. */
  memberCount: number | null;
}

/** A one-time secret of a create, resend or reset answer. */
export interface InvitationSecret {
  kind: "temporary_password" | "invite_link";
  secret: string;
}

/** What an invitation or reset link leads to. */
export type InvitationLookup =
  | {
      state: "valid";
      purpose: Schemas["Invitation"]["purpose"];
      accountName: string;
      name: string;
      email: string;
    }
  | { state: "gone" | "unavailable" };

/** `"ADMIN"`, `"read_only"`, `{ type: "PREDEFINED", name: "READ_ONLY" }` → `admin` / `read-only`. */
export function reshapeScopeRole(value: Schemas["RoleOutput"]): ScopeRole | null {
  const name = (typeof value === "string" ? value : value.name).toLowerCase().replace("_", "-");
  return name === "admin" || name === "member" || name === "read-only" ? name : null;
}

export function reshapeAccountRole(value: Schemas["RoleOutput"]): AccountRole | null {
  const role = reshapeScopeRole(value);
  return role === "admin" || role === "member" ? role : null;
}

export function reshapeUserStatus(value: string): UserStatus {
  const status = value.toLowerCase();
  if (status === "invited" || status === "expired" || status === "blocked") return status;
  // 1.28 calls a blocked person `inactive`.
  if (status === "inactive") return "blocked";
  return "active";
}

function pageOf<T>(items: T[], pagination: Schemas["Pagination"]): Page<T> {
  return pagination.has_more && pagination.next_cursor
    ? { items, nextCursor: pagination.next_cursor }
    : { items };
}

export function reshapeMember(user: Schemas["User"]): Member {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    accountRole: reshapeAccountRole(user.role) ?? "member",
    status: reshapeUserStatus(user.status),
    createdAt: user.created_at,
  };
}

export function reshapeMemberPage(list: Schemas["UserList"]): Page<Member> {
  return pageOf(list.users.map(reshapeMember), list.pagination);
}

export function reshapeScopeMemberPage(
  list: Schemas["OrganizationMemberList"] | Schemas["SpaceMemberList"],
): Page<ScopeMember> {
  const items = list.memberships.map((m): ScopeMember => ({
    userId: m.user_id,
    // Member lists always carry the person.
    name: m.user?.name ?? "",
    email: m.user?.email ?? "",
    status: reshapeUserStatus(m.user?.status ?? ""),
    role: reshapeScopeRole(m.role) ?? "read-only",
  }));
  return pageOf(items, list.pagination);
}

export function reshapeScope(scope: Schemas["Organization"] | Schemas["Space"]): Scope {
  return {
    id: scope.id,
    name: scope.name,
    description: scope.description,
    isPrivate: "is_private" in scope ? (scope.is_private ?? false) : false,
    memberCount: scope.member_count ?? null,
  };
}

export function reshapeScopePage(list: Schemas["OrganizationList"] | Schemas["SpaceList"]): Page<Scope> {
  const scopes: (Schemas["Organization"] | Schemas["Space"])[] =
    "spaces" in list ? list.spaces : list.organizations;
  return pageOf(scopes.map(reshapeScope), list.pagination);
}

/**
 * The one-time secret of a create, resend or reset answer: a temporary password, or the invitation
 * link (absolute; the API builds it from PUBLIC_URL or the request).
 */
export function reshapeInvitationSecret(
  answer: Schemas["InvitationSecret"] | Schemas["UserCreated"],
): InvitationSecret | null {
  if (answer.temporary_password) return { kind: "temporary_password", secret: answer.temporary_password };
  if (answer.invitation_url) return { kind: "invite_link", secret: answer.invitation_url };
  return null;
}

/** GET /v2/invitations/{token}: 200 for a link that works; 404 once it is used, replaced or expired. */
export function reshapeInvitation(status: number, invitation?: Schemas["Invitation"]): InvitationLookup {
  if (status >= 500) return { state: "unavailable" };
  if (status !== 200) return { state: "gone" };
  if (!invitation) return { state: "unavailable" };
  return {
    state: "valid",
    purpose: invitation.purpose,
    accountName: invitation.account_name,
    name: invitation.name,
    email: invitation.email,
  };
}

/** A one-time secret for the Share the invitation dialog; it lives only in that dialog's state. */
export interface Invitation extends InvitationSecret {
  name: string;
  /** Their email, when known: the copied text names it. */
  email?: string;
  /** With a temporary password: the sign-in page's absolute URL, shared with it. */
  signInUrl?: string;
}

interface SpaceSummary extends Scope {
  /** The viewer's effective role there. */
  role: ScopeRole;
}

/** An organization of the Organizations & Spaces tree, with the spaces the viewer reaches in it. */
export interface OrganizationSummary extends Omit<Scope, "isPrivate"> {
  role: ScopeRole;
  spaces: SpaceSummary[];
}

/**
 * The tree /v2/me says the viewer reaches, with the lists' descriptions and member counts (null: not
 * known).
 */
export function reshapeTree(
  viewer: Me,
  lists: { organizations: Scope[]; spaces: Scope[] },
): OrganizationSummary[] {
  const organization = new Map(lists.organizations.map((o) => [o.id, o]));
  const space = new Map(lists.spaces.map((s) => [s.id, s]));
  return viewer.organizations.map((org) => ({
    id: org.id,
    name: org.name,
    description: organization.get(org.id)?.description ?? "",
    role: org.role,
    memberCount: organization.get(org.id)?.memberCount ?? null,
    spaces: org.spaces.map((s) => ({
      id: s.id,
      name: s.name,
      description: space.get(s.id)?.description ?? "",
      isPrivate: space.get(s.id)?.isPrivate ?? false,
      role: s.role,
      memberCount: space.get(s.id)?.memberCount ?? null,
    })),
  }));
}

/** A space's or an organization's page. */
export interface ScopeDetail extends Scope {
  kind: "space" | "organization";
  /** The viewer's effective role here (null: reachable only as an admin above it). */
  role: ScopeRole | null;
  /** A space's organization. */
  organization: { id: string; name: string; role: ScopeRole | null } | null;
}

/** A space or an organization with the viewer's role there and above (from /v2/me). */
export function reshapeScopeDetail(kind: ScopeDetail["kind"], scope: Scope, viewer: Me): ScopeDetail {
  if (kind === "organization") {
    const org = viewer.organizations.find((o) => o.id === scope.id);
    return { kind, ...scope, isPrivate: false, role: org?.role ?? null, organization: null };
  }
  for (const org of viewer.organizations) {
    const space = org.spaces.find((s) => s.id === scope.id);
    if (space)
      return {
        kind,
        ...scope,
        role: space.role,
        organization: { id: org.id, name: org.name, role: org.role },
      };
  }
  return { kind, ...scope, role: null, organization: null };
}
