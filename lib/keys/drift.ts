/**
 * [ext] Drift: which service keys now hold more than the person who created them (their roles
 * dropped after the key was made). Read-only and opt-in (`GET /v2/api-keys?include=exceeds_creator_role`).
 */
import type { DbOrTx } from "../db/client";
import { loadAccess } from "../auth/access";
import { grantsWithinCaps } from "../roles/roles";
import { botGrantsOf } from "./api-keys";
import type { ApiKeyView } from "./key-view";

/**
 * The ids of the given service keys whose roles exceed their creator's current ones: any role the
 * bot holds — the account, each organization, each space it is bound to, not only the key's first —
 * above the creator's own there, or where the creator now holds none. The rule a create applies
 * (lib/roles), asked again of the creator as they are now.
 */
export async function keysExceedingCreator(db: DbOrTx, keys: ApiKeyView[]): Promise<Set<string>> {
  const service = keys.filter((k) => k.keyType === "service");
  if (service.length === 0) return new Set();
  const grants = await botGrantsOf(
    db,
    service.map((k) => k.userId),
  );
  const creators = new Map<string, Awaited<ReturnType<typeof loadAccess>>>();
  for (const id of new Set(service.map((k) => k.createdByUserId))) creators.set(id, await loadAccess(db, id));

  const exceeding = new Set<string>();
  for (const key of service) {
    const bot = grants.get(key.userId);
    // A blocked bot holds no role anywhere: nothing to exceed.
    if (!bot || bot.organizations.length === 0) continue;
    const creator = creators.get(key.createdByUserId);
    if (!creator) {
      exceeding.add(key.id);
      continue;
    }
    const check = grantsWithinCaps(bot, {
      account_role: creator.user.accountRole,
      organizations: creator.organizations,
    });
    if (check.unreachable || check.violations.length > 0) exceeding.add(key.id);
  }
  return exceeding;
}
