export const ACCOUNT_ROLES = ["admin", "member"] as const;
export const SCOPE_ROLES = ["admin", "member", "read-only"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type ScopeRole = (typeof SCOPE_ROLES)[number];
export type Role = ScopeRole;

const RANK: Record<Role, number> = { admin: 3, member: 2, "read-only": 1 };

/** admin > member > read-only. */
export function roleRank(role: Role): number {
  return RANK[role];
}

export function atMost(role: Role, cap: Role): boolean {
  return RANK[role] <= RANK[cap];
}

export function maxRole(a: Role | null, b: Role | null): Role | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** One row per space of the account (or per organization without spaces), with the user's memberships. */
export interface DirectoryRow {
  organizationId: string;
  organizationName: string;
  organizationRole: ScopeRole | null;
  spaceId: string | null;
  spaceName: string | null;
  spaceRole: ScopeRole | null;
}

export interface EffectiveSpace {
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
  /** ANNOTATOR and CUSTOM roles: valid for Arize, not supported here (422). */
  | { ok: false; unsupported: true; detail: string }
  | { ok: false; unsupported: false; detail: string };

/** Reads a role input against the roles a scope has (`["admin","member"]` or `SCOPE_ROLES`). */
export function parseRole<R extends string>(input: RoleInput, allowed: readonly R[]): ParsedRole<R> {
  let name: string | undefined;
  if (typeof input === "string") name = input;
  else {
    const type = input.type.trim().toUpperCase();
    if (type === "CUSTOM")
      return { ok: false, unsupported: true, detail: "Custom roles are not supported by this server." };
    if (type !== "PREDEFINED")
      return { ok: false, unsupported: false, detail: "`role.type` must be PREDEFINED or CUSTOM." };
    name = input.name;
    if (name === undefined) return { ok: false, unsupported: false, detail: "`role.name` is required." };
  }
  const canonical = name.trim().toLowerCase().replace(/_/g, "-");
  if (canonical === "annotator")
    return { ok: false, unsupported: true, detail: "The ANNOTATOR role is not supported by this server." };
  const role = allowed.find((r) => r === canonical);
  if (!role)
    return { ok: false, unsupported: false, detail: `\`role\` must be one of: ${allowed.join(", ")}.` };
  return { ok: true, role };
}
