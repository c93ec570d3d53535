import type { DbOrTx } from "../db/client";
import { botGrantsOf } from "../keys/api-keys";
import type { ApiKeyView } from "../keys/key-view";
import type { BotUserJson } from "../schemas/api-keys";
import { has, type Dialect } from "./dialect";
import { botUserJson } from "./serialize";

/**
 * `bot_user` for each service key of a list page, for the clients whose list items declare it
 * (dialect field `api_key_list.bot_user`: Python ≥ 8.45), keyed by key id; null for every other client.
 * The roles are the bot's now, read in three queries whatever the page's size. A bot that holds no role
 * any more has no organizations, as Arize's list answers for a bot whose bindings cannot be resolved.
 */
export async function listedBotUsers(
  db: DbOrTx,
  keys: ApiKeyView[],
  dialect: Dialect,
): Promise<Map<string, BotUserJson> | null> {
  if (!has(dialect, "api_key_list.bot_user")) return null;
  const service = keys.filter((k) => k.keyType === "service");
  const grants = await botGrantsOf(
    db,
    service.map((k) => k.userId),
  );
  return new Map(
    service.map((k) => [
      k.id,
      botUserJson(k, grants.get(k.userId) ?? { accountRole: "member", organizations: [] }, dialect),
    ]),
  );
}
