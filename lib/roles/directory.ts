/**
 * The directory's rules as the dashboard asks them: which buttons and menu items a viewer gets, which
 * role options are out of reach and why. Pure, over the effective roles of `/v2/me`, and decided by
 * the one rule the API uses (`mayDo` in ./roles); a convenience for the pages — the API decides.
 */
import { ALLOWED, refused, type Decision } from "./decision";
import { ACCOUNT_ROLES, ROLE_LABEL, SCOPE_ROLES, type AccountRole, type ScopeRole } from "./names";
import { grantRefusal, mayDo } from "./roles";

/** The parts of `/v2/me` these rules read. */
export interface DirectoryViewer {
  user: { id: string };
  account_role: AccountRole;
  organizations: {
    id: string;
    name: string;
    role: ScopeRole;
    spaces: { id: string; name: string; role: ScopeRole }[];
  }[];
}

// ── The account: people ─────────────────────────────────────────────────────────────────────────

const asAccount = (viewer: Pick<DirectoryViewer, "account_role">) => ({
  accountRole: viewer.account_role,
  organizationRole: null,
  spaceRole: null,
});

export function mayInviteMembers(viewer: Pick<DirectoryViewer, "account_role">): Decision {
  return mayDo("manage_users", asAccount(viewer))
    ? ALLOWED
    : refused("Only account admins can invite members");
}

export type MemberStatus = "active" | "invited" | "expired" | "blocked";

export interface MemberActions {
  changeAccountRole: Decision;
  resetPassword: Decision;
  /** Offered only for people whose invitation is pending or expired. */
  resendInvitation: Decision | null;
  block: Decision;
}

/**
 * The Actions menu of a row on the Members page; null = no menu (not an account admin, or the person
 * is blocked: their row offers only `unblockAction`).
 */
export function memberActions(
  viewer: Pick<DirectoryViewer, "account_role" | "user">,
  member: { id: string; status: MemberStatus },
): MemberActions | null {
  if (!mayDo("manage_users", asAccount(viewer)) || member.status === "blocked") return null;
  const self = member.id === viewer.user.id;
  return {
    changeAccountRole: ALLOWED,
    resetPassword:
      member.status === "active"
        ? ALLOWED
        : refused("They haven't joined yet: resend the invitation instead"),
    resendInvitation: member.status === "invited" || member.status === "expired" ? ALLOWED : null,
    block: self ? refused("You can't block yourself") : ALLOWED,
  };
}

/**
 * The one action on a blocked person's row: Unblock, for account admins; null for everyone else and
 * for people who are not blocked.
 */
export function unblockAction(
  viewer: Pick<DirectoryViewer, "account_role">,
  member: { status: MemberStatus },
): Decision | null {
  return member.status === "blocked" && mayDo("manage_users", asAccount(viewer)) ? ALLOWED : null;
}

// ── Organizations and spaces ────────────────────────────────────────────────────────────────────

export function mayCreateOrganization(viewer: Pick<DirectoryViewer, "account_role">): Decision {
  return mayDo("manage_organizations", asAccount(viewer))
    ? ALLOWED
    : refused("Only account admins can create organizations");
}

/** The organizations where the viewer may create a space: those they are admin of. */
export function spaceParentOrganizations(viewer: Pick<DirectoryViewer, "account_role" | "organizations">) {
  return viewer.organizations.filter((o) =>
    mayDo("manage_spaces", { accountRole: viewer.account_role, organizationRole: o.role, spaceRole: null }),
  );
}

/**
 * New space: allowed for an admin of some organization. Refused with the real reason: on a fresh
 * install an account admin (who sees every organization) finds none yet, so the next step is one.
 */
export function mayCreateSpace(viewer: Pick<DirectoryViewer, "account_role" | "organizations">): Decision {
  if (spaceParentOrganizations(viewer).length > 0) return ALLOWED;
  if (viewer.organizations.length === 0) {
    return mayCreateOrganization(viewer).allowed
      ? refused("No organization yet: a space belongs to one. Create an organization first.")
      : refused("You aren't in any organization yet. Ask an account admin to add you to one.");
  }
  return refused("Only organization admins can create spaces");
}

/** What the viewer may do on an organization's page, from their effective role there. */
export function organizationPermissions(
  viewer: Pick<DirectoryViewer, "account_role">,
  organizationRole: ScopeRole | null,
) {
  const roles = { accountRole: viewer.account_role, organizationRole, spaceRole: null };
  const manage = mayDo("manage_organizations", roles);
  return { manageMembers: mayDo("manage_organization_members", roles), rename: manage, delete: manage };
}

/**
 * What the viewer may do on a space's page. Members: any admin of the space (an organization or
 * account admin is one); rename and delete: admins of its organization.
 */
export function spacePermissions(
  viewer: Pick<DirectoryViewer, "account_role">,
  spaceRole: ScopeRole | null,
  organizationRole: ScopeRole | null,
) {
  const roles = { accountRole: viewer.account_role, organizationRole, spaceRole };
  const manage = mayDo("manage_spaces", roles);
  return { manageMembers: mayDo("manage_space_members", roles), rename: manage, delete: manage };
}

// ── Role options, clamped to the viewer's own role at the scope ─────────────────────────────────

export interface RoleOption<R extends string> {
  value: R;
  label: string;
  /** Why the option is out of reach; absent when the viewer may grant it. */
  disabledReason?: string;
}

/** The reason shown beside a role select when some options are out of reach. */
function scopeCapReason(scopeName: string, cap: ScopeRole): string {
  return `Limited to your role in ${scopeName}: ${ROLE_LABEL[cap]}`;
}

/** Admin, Member, Read-Only, each disabled when above the viewer's role `cap` in `scopeName`. */
export function scopeRoleOptions(scopeName: string, cap: ScopeRole): RoleOption<ScopeRole>[] {
  return SCOPE_ROLES.map((value) =>
    grantRefusal(scopeName, value, cap) === null
      ? { value, label: ROLE_LABEL[value] }
      : { value, label: ROLE_LABEL[value], disabledReason: scopeCapReason(scopeName, cap) },
  );
}

/** The first option the viewer may pick, preferring `wanted`. */
export function clampedChoice<R extends string>(options: RoleOption<R>[], wanted: R): R | undefined {
  const allowed = options.filter((o) => !o.disabledReason);
  return (allowed.find((o) => o.value === wanted) ?? allowed[0])?.value;
}

/** The one reason a clamped select shows (they all read the same), or null when nothing is clamped. */
export function clampNote<R extends string>(options: RoleOption<R>[]): string | null {
  return options.find((o) => o.disabledReason)?.disabledReason ?? null;
}

/** Account roles: only an account admin grants them, and may grant either. */
export function accountRoleOptions(viewer: Pick<DirectoryViewer, "account_role">): RoleOption<AccountRole>[] {
  return ACCOUNT_ROLES.map((value) => {
    const label = ROLE_LABEL[value];
    return viewer.account_role === "admin"
      ? { value, label }
      : { value, label, disabledReason: "Only account admins can change account roles" };
  });
}
