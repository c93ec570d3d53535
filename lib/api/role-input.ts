import { DomainError, invalid } from "../domain/errors";
import type { AccountRole, ScopeRole } from "../roles/roles";
import type { RoleAssignmentInput } from "../schemas/api-keys";

/**
 * Generation D's role objects (`{type: "PREDEFINED", name: "READ_ONLY"}`) as the roles this server
 * has. Custom roles and ANNOTATOR exist in Arize's contract but not here: a 422 that says so (a
 * client that sends them is speaking the contract, not sending garbage).
 */
function predefinedName(role: RoleAssignmentInput, field: string): string {
  if (role.type === "custom" || role.id !== undefined)
    throw new DomainError(
      "unprocessable",
      "Custom roles are not supported by this server; use a predefined role.",
      {
        field,
      },
    );
  if (role.name === undefined) throw invalid("A predefined role needs a `name`.", field);
  const name = role.name.trim().toLowerCase().replace(/_/g, "-");
  if (name === "annotator")
    throw new DomainError("unprocessable", "The ANNOTATOR role is not supported by this server.", { field });
  return name;
}

export function scopeRoleFromRequest(role: RoleAssignmentInput, field: string): ScopeRole {
  const name = predefinedName(role, field);
  if (name === "admin" || name === "member" || name === "read-only") return name;
  throw invalid("Expected one of: ADMIN, MEMBER, READ_ONLY.", field);
}

export function accountRoleFromRequest(role: RoleAssignmentInput, field: string): AccountRole {
  const name = predefinedName(role, field);
  if (name === "admin" || name === "member") return name;
  throw invalid("Expected one of: ADMIN, MEMBER.", field);
}
