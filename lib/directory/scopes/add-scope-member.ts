import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { encodeId } from "../../domain/ids";
import { assertGrantable, readRole } from "../../domain/role-input";
import type { Principal } from "../../auth/principal";
import { SCOPE_ROLES, type ScopeRole } from "../../roles/names";
import type { RoleInput } from "../../roles/roles";
import { auditOperation, type Actor, type DirectoryDeps } from "../context";
import { memberChange, memberCopies, type memberCandidate } from "./members";
import {
  assertMay,
  SCOPE_KINDS,
  type MembershipView,
  type ScopeKindName,
  type ScopeViews,
} from "./scope-kinds";

type Person = Awaited<ReturnType<typeof memberCandidate>>;

/** Whether the person holds a role in the scope (not counting what their account role gives them). */
async function isMember(tx: DbOrTx, kindName: ScopeKindName, scopeId: string, userId: string) {
  const kind = SCOPE_KINDS[kindName];
  const [row] = await tx
    .select({ userId: kind.membership.userId })
    .from(kind.membership)
    .where(and(eq(kind.membershipScopeId, scopeId), eq(kind.membership.userId, userId)));
  return row !== undefined;
}

/**
 * One grant, the same for both kinds: the caller may manage the scope's members, the role is at most
 * their own there, the scope takes the person; then the membership and its audit row.
 */
async function grant<K extends ScopeKindName>(
  tx: DbOrTx,
  actor: Actor & { strictGrants: boolean },
  now: Date,
  grantInput: { kind: K; caller: Principal; scope: ScopeViews[K]; target: Person; role: ScopeRole },
) {
  const kind = SCOPE_KINDS[grantInput.kind];
  const { caller, scope, target, role } = grantInput;
  assertMay(kind.manageMembers, caller, kind.placeOf(scope));
  assertGrantable(`${kind.noun} ${scope.name}`, role, kind.callerRole(caller, scope), actor.strictGrants);
  await kind.admits(tx, scope, target);
  await kind.upsertMember(tx, scope.id, memberCopies(target), role);
  await auditOperation(tx, actor, now, {
    operation: `add_${kind.kind}_user`,
    targetType: kind.kind,
    targetId: scope.id,
    variables: { user_id: encodeId("User", target.id), role },
  });
}

/**
 * Adds a person to an organization or a space, or changes their role there (upsert): the API's
 * add_organization_user and add_space_user. Nobody grants a role above their own at that scope
 * (`role_above_cap`); a space takes only members of its organization — unless `joinOrganization`
 * [ext], which first adds a person outside it to the organization as read-only, in the same
 * transaction and by the same rules (so the caller must also manage the organization's members).
 */
export async function addScopeMember<K extends ScopeKindName>(
  deps: DirectoryDeps,
  input: Actor & {
    kind: K;
    scopeId: string | null;
    userId: string | null;
    role: RoleInput;
    strictGrants: boolean;
    joinOrganization?: boolean;
  },
): Promise<MembershipView> {
  const kind = SCOPE_KINDS[input.kind];
  const role = readRole(input.role, SCOPE_ROLES, "role");
  const now = deps.clock.now();
  const view = await deps.db.transaction(async (tx) => {
    const { caller, scope, target } = await memberChange(tx, input);
    if (input.joinOrganization && "organizationId" in scope) {
      const organizationId = scope.organizationId;
      if (!(await isMember(tx, "organization", organizationId, target.id))) {
        const organization = await SCOPE_KINDS.organization.visible(tx, caller, organizationId);
        await grant(tx, input, now, {
          kind: "organization",
          caller,
          scope: organization,
          target,
          role: "read-only",
        });
      }
    }
    await grant(tx, input, now, { kind: input.kind, caller, scope, target, role });
    return { scope: kind.kind, scopeId: scope.id, userId: target.id, role };
  });
  deps.events?.usersChanged([view.userId]);
  return view;
}
