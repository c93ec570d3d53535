import { DomainError, invalid, unsupported } from "../../domain/errors";
import { encodeId } from "../../domain/ids";
import { grantRefusal, parseRole, SCOPE_ROLES, type RoleInput, type ScopeRole } from "../../roles/roles";
import { currentCaller } from "../caller";
import { auditOperation, type Actor, type DirectoryDeps } from "../context";
import { memberCandidate, memberCopies } from "./members";
import { assertMay, SCOPE_KINDS, type MembershipView, type ScopeKindName } from "./scope-kinds";

function readScopeRole(input: RoleInput): ScopeRole {
  const parsed = parseRole(input, SCOPE_ROLES);
  if (parsed.ok) return parsed.role;
  if (parsed.unsupported) throw unsupported(parsed.what);
  throw invalid(parsed.detail, "role");
}

/** 422 for generation D clients (as their contract says), 400 otherwise, naming scope, role and cap. */
function assertGrantable(scope: string, role: ScopeRole, cap: ScopeRole | null, strict: boolean) {
  const refusal = grantRefusal(scope, role, cap);
  if (refusal) throw new DomainError(strict ? "unprocessable" : "invalid", refusal, { field: "role" });
}

/**
 * Adds a person to an organization or a space, or changes their role there (upsert). Nobody grants
 * a role above their own at that scope; a space takes only members of its organization.
 */
export async function addScopeMember<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & {
    kind: K;
    scopeId: string | null;
    userId: string | null;
    role: RoleInput;
    strictGrants: boolean;
  },
): Promise<MembershipView> {
  const kind = SCOPE_KINDS[input.kind];
  const role = readScopeRole(input.role);
  const now = deps.clock.now();
  const view = await deps.db.transaction(async (tx) => {
    const caller = await currentCaller(tx, input.principal, input.userId);
    const scope = await kind.visible(tx, caller, input.scopeId);
    assertMay(kind.manageMembers, caller, kind.placeOf(scope));
    assertGrantable(`${kind.noun} ${scope.name}`, role, kind.callerRole(caller, scope), input.strictGrants);
    const target = await memberCandidate(tx, caller, input.userId);
    await kind.admits(tx, scope, target);
    await kind.upsertMember(tx, scope.id, memberCopies(target), role);
    await auditOperation(tx, input, now, {
      operation: `add_${kind.kind}_user`,
      targetType: kind.kind,
      targetId: scope.id,
      variables: { user_id: encodeId("User", target.id), role },
    });
    return { scope: kind.kind, scopeId: scope.id, userId: target.id, role };
  });
  deps.events?.usersChanged([view.userId]);
  return view;
}
