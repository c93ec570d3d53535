import type { DbOrTx } from "../../db/client";
import { notFound } from "../../domain/errors";
import type { Principal } from "../../auth/principal";
import { loadPerson } from "../users";
import type { MemberCopies } from "./scope-kinds";

/** A person of the caller's account who may hold a role (not a bot, not blocked); else 404. */
export async function memberCandidate(tx: DbOrTx, principal: Principal, userId: string | null) {
  const row = await loadPerson(tx, principal.user.accountId, userId, true);
  if (row.status === "blocked") throw notFound("No user with that id.");
  return row;
}

/** A membership's user columns: the id, and the copies of created_at and kind its lists are ordered by. */
export const memberCopies = (user: { id: string; createdAt: Date; kind: "human" | "bot" }): MemberCopies => ({
  userId: user.id,
  userCreatedAt: user.createdAt,
  userKind: user.kind,
});
