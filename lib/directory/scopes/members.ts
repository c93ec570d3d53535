import type { DbOrTx } from "../../db/client";
import { notFound } from "../../domain/errors";
import type { Principal } from "../../auth/principal";
import { loadPerson } from "../users";
import type { Actor } from "../context";
import { currentCaller } from "../caller";
import { assertMay, SCOPE_KINDS, type MemberCopies, type ScopeKindName } from "./scope-kinds";

/** A person of the caller's account who may hold a role (not a bot, not blocked); else 404. */
export async function memberCandidate(tx: DbOrTx, principal: Principal, userId: string | null) {
  const row = await loadPerson(tx, principal.user.accountId, userId, true);
  if (row.status === "blocked") throw notFound("No user with that id.");
  return row;
}

/**
 * What adding or removing a member starts with, for both kinds: the caller as committed now (their
 * row and the person's locked), the scope if they see it and may manage its members (else 404, 403),
 * and the person (404 unless a person of the account who may hold a role).
 */
export async function memberChange<K extends ScopeKindName>(
  tx: DbOrTx,
  input: Actor & { kind: K; scopeId: string | null; userId: string | null },
) {
  const kind = SCOPE_KINDS[input.kind];
  const caller = await currentCaller(tx, input.principal, input.userId);
  const scope = await kind.visible(tx, caller, input.scopeId);
  assertMay(kind.manageMembers, caller, kind.placeOf(scope));
  const target = await memberCandidate(tx, caller, input.userId);
  return { caller, scope, target };
}

/** A membership's user columns: the id, and the copies of created_at and kind its lists are ordered by. */
export const memberCopies = (user: { id: string; createdAt: Date; kind: "human" | "bot" }): MemberCopies => ({
  userId: user.id,
  userCreatedAt: user.createdAt,
  userKind: user.kind,
});
