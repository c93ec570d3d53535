/**
 * The role rules, in one place: the order of roles, effective roles, the caps on a service key's roles
 * (with the reason an option is out of reach) and who may act on which key. Pure — no database, no
 * server-only code — so the keys API, the dashboard's actions and the components all use this one
 * implementation.
 */
import { ALLOWED, refused, type Decision } from "./decision";
import { atMost, ROLE_LABEL, type AccountRole, type Role, type ScopeRole } from "./names";

// ── Effective roles ─────────────────────────────────────────────────────────────────────────────

/** One row per space of the account (or per organization without spaces), with the user's memberships. */
export interface DirectoryRow {
  organizationId: string;
  organizationName: string;
  organizationRole: ScopeRole | null;
  spaceId: string | null;
  spaceName: string | null;
  spaceRole: ScopeRole | null;
}

interface EffectiveSpace {
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

/** A caller's effective roles, in the shape of `/v2/me` (the API builds the same from its principal). */
export interface ViewerScopes {
  account_role: AccountRole;
  organizations: EffectiveOrganization[];
}

/** A space the caller can reach, with its organization and the caller's effective role at both. */
export interface SpaceContext {
  space: { id: string; name: string; role: ScopeRole };
  organization: { id: string; name: string; role: ScopeRole };
}

export function spaceContext(
  viewer: Pick<ViewerScopes, "organizations">,
  spaceId: string,
): SpaceContext | null {
  for (const organization of viewer.organizations) {
    const space = organization.spaces.find((s) => s.id === spaceId);
    if (space) return { space, organization };
  }
  return null;
}

export function allSpaces(viewer: Pick<ViewerScopes, "organizations">): SpaceContext[] {
  return viewer.organizations.flatMap((organization) =>
    organization.spaces.map((space) => ({ space, organization })),
  );
}

// ── Caps: a service key's roles are each at most the caller's own ───────────────────────────────

export type RoleScope = "space" | "org" | "account";
type RoleField = "space_role" | "org_role" | "account_role";

const ROLE_FIELD: Record<RoleScope, RoleField> = {
  space: "space_role",
  org: "org_role",
  account: "account_role",
};

/** The roles asked for a service key, by scope. */
export type RequestedRoles = Record<RoleScope, ScopeRole>;

export interface CapViolation {
  scope: RoleScope;
  field: RoleField;
  asked: ScopeRole;
  cap: ScopeRole;
  /** The scope as a sentence names it: `space Production`, `organization Platform`, `the account`. */
  where: string;
  /** Why the role is out of reach, for the option or field it concerns. */
  reason: string;
}

/** The caller's cap at a scope; `target` is the caller's own space or organization there. */
function capAt(
  scope: RoleScope,
  viewer: Pick<ViewerScopes, "account_role">,
  target: { name: string; role: ScopeRole } | null,
): { cap: ScopeRole; where: string; reason: string } | null {
  if (scope === "account") {
    const cap = viewer.account_role;
    return { cap, where: "the account", reason: `Limited to your account role: ${ROLE_LABEL[cap]}` };
  }
  if (!target) return null;
  return {
    cap: target.role,
    where: `${scope === "space" ? "space" : "organization"} ${target.name}`,
    reason: `Limited to your role in ${target.name}: ${ROLE_LABEL[target.role]}`,
  };
}

const targetOf = (scope: RoleScope, context: SpaceContext | null) =>
  context && (scope === "space" ? context.space : context.organization);

/** Why a role is out of reach at a scope, or null when the viewer may grant it. */
export function clampReason(
  scope: RoleScope,
  role: ScopeRole,
  viewer: Pick<ViewerScopes, "account_role">,
  context: SpaceContext | null,
): string | null {
  const at = capAt(scope, viewer, targetOf(scope, context));
  return at && !atMost(role, at.cap) ? at.reason : null;
}

/** Every requested role above the caller's own, in the order space, org, account. */
export function capViolations(
  roles: RequestedRoles,
  viewer: Pick<ViewerScopes, "account_role">,
  context: SpaceContext,
): CapViolation[] {
  const violations: CapViolation[] = [];
  for (const scope of ["space", "org", "account"] as const) {
    const at = capAt(scope, viewer, targetOf(scope, context));
    const asked = roles[scope];
    if (at && !atMost(asked, at.cap)) violations.push({ scope, field: ROLE_FIELD[scope], asked, ...at });
  }
  return violations;
}

/**
 * Every role a service key's bot user holds: its account role, and its role in each organization and
 * in each space of it it is bound to. An organization may have no space left (its spaces were deleted
 * while the key lived): its role still counts.
 */
export interface KeyGrants {
  accountRole: AccountRole;
  organizations: { id: string; role: ScopeRole; spaces: { id: string; role: ScopeRole }[] }[];
}

/** What a key's grants ask of a caller: each role above the caller's own, and scopes out of reach. */
export interface GrantsCheck {
  violations: CapViolation[];
  /** A scope the key holds a role in that the caller cannot reach (no cap there at all). */
  unreachable: { scope: "org" | "space"; id: string } | null;
}

/**
 * Checks every role of a key's grants against the caller's effective roles: the account once, each
 * organization (with or without spaces) and each space. A create and a refresh ask exactly this: a
 * refresh hands out a secret carrying all of these roles, so every one of them must be within the
 * caller's own (GitLab #418878). Violations come in the order space, its organization, the account —
 * per space, as the create form names them — each scope once.
 */
export function grantsWithinCaps(grants: KeyGrants, viewer: ViewerScopes): GrantsCheck {
  const violations: CapViolation[] = [];
  let unreachable: GrantsCheck["unreachable"] = null;
  const add = (v: CapViolation | null) => {
    if (v && !violations.some((seen) => seen.field === v.field && seen.where === v.where)) violations.push(v);
  };
  const above = (scope: RoleScope, asked: ScopeRole, target: { name: string; role: ScopeRole } | null) => {
    const at = capAt(scope, viewer, target);
    return at && !atMost(asked, at.cap) ? { scope, field: ROLE_FIELD[scope], asked, ...at } : null;
  };
  for (const granted of grants.organizations) {
    const organization = viewer.organizations.find((o) => o.id === granted.id) ?? null;
    if (!organization) {
      unreachable ??= { scope: "org", id: granted.id };
      continue;
    }
    for (const space of granted.spaces) {
      const reached = organization.spaces.find((s) => s.id === space.id) ?? null;
      if (!reached) unreachable ??= { scope: "space", id: space.id };
      else add(above("space", space.role, reached));
      add(above("org", granted.role, organization));
      add(above("account", grants.accountRole, null));
    }
    add(above("org", granted.role, organization));
  }
  add(above("account", grants.accountRole, null));
  return { violations, unreachable };
}

// ── Who may act on which key ────────────────────────────────────────────────────────────────────

export function mayCreateServiceKey(spaceRole: ScopeRole): Decision {
  return spaceRole === "read-only" ? refused("Read-only members can't create service keys.") : ALLOWED;
}

/** Space admins manage any service key of the space; members only the ones they created. */
export function mayManageServiceKey(
  space: { name: string; role: ScopeRole },
  createdByCaller: boolean,
  verb: "revoke" | "refresh",
): Decision {
  if (space.role === "admin") return ALLOWED;
  if (space.role === "member" && createdByCaller) return ALLOWED;
  return refused(
    space.role === "member"
      ? `Members can ${verb} only the service keys they created; ask an admin of ${space.name}.`
      : `Read-only members can't ${verb} service keys in ${space.name}.`,
  );
}

export function mayRevokeUserKey(ownedByCaller: boolean, callerIsAccountAdmin: boolean): Decision {
  return ownedByCaller || callerIsAccountAdmin
    ? ALLOWED
    : refused("Only the key's owner or an account admin can revoke a user key.");
}

export function mayRefreshUserKey(ownedByCaller: boolean): Decision {
  return ownedByCaller ? ALLOWED : refused("Only the key's owner can refresh a user key.");
}

// ── The directory: who may change what (directory.md, "Who may change the directory") ───────────
// Pure rules over the caller's effective roles; the API's domain (lib/directory) and the dashboard's
// pages ask the same questions here. Granting is clamped exactly as service keys are (`atMost`).

export type DirectoryAction =
  /** create, block, reset the password of, resend the invitation of a user; change an account role */
  | "manage_users"
  /** create, rename, delete an organization */
  | "manage_organizations"
  /** add a member to an organization, change their role there, remove them */
  | "manage_organization_members"
  /** create a space in an organization, rename or delete it */
  | "manage_spaces"
  /** add, change or remove a space's members */
  | "manage_space_members"
  /** read a space's or organization's member list */
  | "read_members";

/** The caller's effective roles where the action happens; null = no role there. */
export interface ActorScopeRoles {
  accountRole: AccountRole;
  /** Effective role in the organization the action is about (or the space's organization). */
  organizationRole: ScopeRole | null;
  /** Effective role in the space the action is about. */
  spaceRole: ScopeRole | null;
}

/** Whether the caller may do `action` where they hold `roles`. */
export function mayDo(action: DirectoryAction, roles: ActorScopeRoles): boolean {
  switch (action) {
    case "manage_users":
    case "manage_organizations":
      return roles.accountRole === "admin";
    case "manage_organization_members":
    case "manage_spaces":
      return roles.accountRole === "admin" || roles.organizationRole === "admin";
    case "manage_space_members":
      return (
        roles.accountRole === "admin" || roles.organizationRole === "admin" || roles.spaceRole === "admin"
      );
    case "read_members":
      return roles.accountRole === "admin" || roles.organizationRole !== null || roles.spaceRole !== null;
  }
}

/** Why the caller may not do `action` (for 403 details and disabled buttons). */
export const REFUSAL: Record<DirectoryAction, string> = {
  manage_users: "Only account admins can manage users and account roles.",
  manage_organizations: "Only account admins can create, rename or delete organizations.",
  manage_organization_members: "Only admins of this organization can manage its members.",
  manage_spaces: "Only admins of this organization can create, rename or delete its spaces.",
  manage_space_members: "Only admins of this space or its organization can manage its members.",
  read_members: "You have no access here.",
};

/**
 * Nobody grants a role above their own at that scope — the clamping rule of service keys, for
 * memberships. Null when allowed; otherwise the reason, naming the scope, the role asked for and the cap.
 */
export function grantRefusal(scope: string, asked: Role, cap: Role | null): string | null {
  if (cap && atMost(asked, cap)) return null;
  return `The role "${asked}" in ${scope} is above your own ("${cap ?? "none"}"); choose "${cap ?? "read-only"}" or lower.`;
}

/** A role as a request gives it: a name in any case (`read_only` too), or generation D's role object. */
export type RoleInput = string | { type: string; name?: string; id?: string };

export type ParsedRole<R extends string> =
  | { ok: true; role: R }
  /** ANNOTATOR and CUSTOM roles: valid for Arize, not supported here (422). `what` names it: "Custom roles are". */
  | { ok: false; unsupported: true; what: string }
  | { ok: false; unsupported: false; detail: string };

/** Reads a role input against the roles a scope has (`["admin","member"]` or `SCOPE_ROLES`). */
export function parseRole<R extends string>(input: RoleInput, allowed: readonly R[]): ParsedRole<R> {
  let name: string | undefined;
  if (typeof input === "string") name = input;
  else {
    const type = input.type.trim().toUpperCase();
    if (type === "CUSTOM") return { ok: false, unsupported: true, what: "Custom roles are" };
    if (type !== "PREDEFINED")
      return { ok: false, unsupported: false, detail: "`role.type` must be PREDEFINED or CUSTOM." };
    name = input.name;
    if (name === undefined) return { ok: false, unsupported: false, detail: "`role.name` is required." };
  }
  const canonical = name.trim().toLowerCase().replace(/_/g, "-");
  if (canonical === "annotator") return { ok: false, unsupported: true, what: "The ANNOTATOR role is" };
  const role = allowed.find((r) => r === canonical);
  if (!role)
    return { ok: false, unsupported: false, detail: `\`role\` must be one of: ${allowed.join(", ")}.` };
  return { ok: true, role };
}
