/**
 * Check a key (lifecycle.md §6): which key a raw secret belongs to, for a caller who may see that key.
 * To everyone else a real key and a random string are the same: one query by digest in both cases,
 * the visibility rule decided in memory, and the same audit row; only a visible match does more.
 */
import { and, eq } from "drizzle-orm";
import { apiKeys, apiKeySecrets, spaceMemberships } from "../db/schema";
import { writeAudit } from "../domain/audit";
import { encodeId } from "../domain/ids";
import type { Principal } from "../auth/principal";
import type { LookupMatch } from "../schemas/api-key-lookup";
import { canSee, type BoundKey, type KeyDeps } from "./api-keys";
import { keyColumns } from "./key-view";
import { getApiKey, type ApiKeyDetailsView } from "./key-details";
import { digestKey } from "./secrets";

export interface LookupApiKeyInput {
  principal: Principal;
  /** The raw key as pasted; whitespace around it is ignored. */
  key: string;
  clientAddress?: string | null;
}

/**
 * The key `input.key` is a secret of, with the secret that matched: the key's current secret, or the
 * secret a refresh replaced while it is in its grace. Null when there is no such key or the caller may
 * not see it (the rule of `GET /v2/api-keys/{id}`): the caller cannot tell those apart. Every lookup
 * writes an audit row `api_key.lookup`, naming the key only when it was found and visible.
 */
export async function lookupApiKey(
  deps: KeyDeps,
  input: LookupApiKeyInput,
): Promise<{ key: ApiKeyDetailsView; matched: LookupMatch } | null> {
  const { principal } = input;
  // Any string is digested and looked up, well-formed or not: a malformed one costs what a guess does.
  const rows = await deps.db
    .select({
      ...keyColumns,
      secretIsCurrent: apiKeySecrets.isCurrent,
      secretExpiresAt: apiKeySecrets.expiresAt,
      boundSpaceId: spaceMemberships.spaceId,
    })
    .from(apiKeySecrets)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeySecrets.apiKeyId))
    // A service key's bot may be bound to several spaces (one row each); whoever sees one sees the key.
    .leftJoin(
      spaceMemberships,
      and(eq(apiKeys.keyType, "service"), eq(spaceMemberships.userId, apiKeys.userId)),
    )
    .where(eq(apiKeySecrets.digest, digestKey(input.key.trim())));
  const now = deps.clock.now();

  let found: { key: BoundKey; matched: LookupMatch } | null = null;
  const [first] = rows;
  if (first) {
    const { secretIsCurrent, secretExpiresAt, boundSpaceId: _bound, ...view } = first;
    const key: BoundKey = { ...view, boundSpaceIds: view.spaceId ? [view.spaceId] : [] };
    for (const { boundSpaceId } of rows)
      if (boundSpaceId && !key.boundSpaceIds.includes(boundSpaceId)) key.boundSpaceIds.push(boundSpaceId);
    // A previous secret counts while its grace lasts; after that it is no longer this key's secret.
    const live = secretIsCurrent || (secretExpiresAt !== null && now < secretExpiresAt);
    if (live && canSee(principal, key)) found = { key, matched: secretIsCurrent ? "current" : "previous" };
  }

  await writeAudit(deps.db, {
    at: now,
    accountId: principal.user.accountId,
    actorUserId: principal.user.id,
    actorCredential: principal.credential.type,
    action: "api_key.lookup",
    targetType: "api_key",
    targetId: found?.key.id ?? null,
    clientAddress: input.clientAddress,
    details: found ? { key_type: found.key.keyType, matched: found.matched } : { matched: "none" },
  });
  if (!found) return null;
  // The key's fields exactly as its own page gets them.
  const key = await getApiKey(deps, { principal, keyId: encodeId("ApiKey", found.key.id) });
  return { key, matched: found.matched };
}
