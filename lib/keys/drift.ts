/**
 * [ext] Drift: which service keys now hold more than the person who created them (their roles
 * dropped after the key was made). Read-only and opt-in (`GET /v2/api-keys?include=exceeds_creator_role`).
 */
import type { DbOrTx } from "../db/client";
import { findSpace } from "../auth/principal";
import { loadAccess } from "../directory/directory";
import { exceedsCreatorRoles, type KeyScopeRoles } from "../roles/roles";
import { botRoleRows, type ApiKeyView } from "./api-keys";

/** The ids of the given service keys whose roles exceed their creator's current ones. */
export async function keysExceedingCreator(db: DbOrTx, keys: ApiKeyView[]): Promise<Set<string>> {
  const service = keys.filter((k) => k.keyType === "service" && k.spaceId);
  if (service.length === 0) return new Set();
  const botRows = await botRoleRows(
    db,
    service.map((k) => k.userId),
  );
  const creators = new Map<string, Awaited<ReturnType<typeof loadAccess>>>();
  for (const id of new Set(service.map((k) => k.createdByUserId))) creators.set(id, await loadAccess(db, id));

  const exceeding = new Set<string>();
  for (const key of service) {
    const bot = botRows.find((r) => r.userId === key.userId && r.spaceId === key.spaceId);
    // A blocked bot holds no role anywhere: nothing to exceed.
    if (!bot) continue;
    const keyRoles: KeyScopeRoles = { space: bot.spaceRole, org: bot.orgRole, account: bot.accountRole };
    const creator = creators.get(key.createdByUserId);
    const space =
      creator && key.spaceId ? findSpace({ ...creator, credential: { type: "session" } }, key.spaceId) : null;
    const creatorRoles: KeyScopeRoles = {
      space: space?.role ?? null,
      org: space?.organization.role ?? null,
      account: creator?.user.accountRole ?? null,
    };
    if (exceedsCreatorRoles(keyRoles, creatorRoles)) exceeding.add(key.id);
  }
  return exceeding;
}
