import { readRole } from "../domain/role-input";
import { ACCOUNT_ROLES, SCOPE_ROLES, type AccountRole, type ScopeRole } from "../roles/names";
import type { RoleInput } from "../roles/roles";
import type { RoleAssignmentInput } from "../schemas/api-keys";

/**
 * Generation D's role objects in an API key's body (`{type: "PREDEFINED", name: "READ_ONLY"}`, the
 * type optional) as the roles this server has, through the one role reader: an `id` names a custom
 * role, whatever the type says.
 */
const asRoleInput = (role: RoleAssignmentInput): RoleInput =>
  role.type === "custom" || role.id !== undefined
    ? { type: "CUSTOM", id: role.id }
    : { type: "PREDEFINED", name: role.name };

export const scopeRoleFromRequest = (role: RoleAssignmentInput, field: string): ScopeRole =>
  readRole(asRoleInput(role), SCOPE_ROLES, field);

export const accountRoleFromRequest = (role: RoleAssignmentInput, field: string): AccountRole =>
  readRole(asRoleInput(role), ACCOUNT_ROLES, field);
