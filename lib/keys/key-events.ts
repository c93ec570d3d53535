import { eq, inArray } from "drizzle-orm";
import type { Clock } from "../clock";
import type { DbOrTx } from "../db/client";
import { apiKeys, organizationMemberships, spaceMemberships, spaces } from "../db/schema";
import { encodeId } from "../domain/ids";
import { anyoneListens, enqueueEvent } from "../domain/outbox";
import type { KeyEventType } from "../schemas/webhooks";
import { attachDetails, keyColumns, type ApiKeyView } from "./key-view";

export interface KeyEventInput {
  keyId: string;
  type: KeyEventType;
  at: Date;
  /** API_KEY_EXPIRING and API_KEY_EXPIRED: whole days until the key expires (0 once it has). */
  daysLeft?: number;
  /** API_KEY_LEAKED: who reported it and where it was found (lib/keys/leaks.ts). */
  leak?: { source: string; url: string; location: string | null };
}

/**
 * Queues a key event for the webhooks subscribed to it (lifecycle.md §5), inside the caller's
 * transaction so it commits with the change it tells of. Called by create, refresh and revoke here;
 * the expiry scan calls it with API_KEY_EXPIRING / API_KEY_EXPIRED and `daysLeft`, a leak report with
 * API_KEY_LEAKED. Who hears of it: `SPACE` subscriptions on a service key's spaces; `ORGANIZATION`
 * subscriptions on a service key's organizations and on the organizations a user key's owner belongs
 * to. Returns the event's public id, or null when no webhook listens.
 */
export async function enqueueKeyEvent(
  tx: DbOrTx,
  clock: Clock,
  input: KeyEventInput,
): Promise<string | null> {
  const [key] = await tx.select(keyColumns).from(apiKeys).where(eq(apiKeys.id, input.keyId));
  if (!key || !(await anyoneListens(tx, key.accountId, input.type))) return null;

  const { spaceIds, organizationIds } = await audienceOf(tx, key);
  return enqueueEvent(tx, {
    accountId: key.accountId,
    type: input.type,
    at: input.at,
    spaceIds,
    organizationIds,
    data: async () => {
      const view: ApiKeyView = { ...key };
      await attachDetails(tx, clock, [view], true);
      return {
        api_key: keyEventJson(view),
        ...(input.daysLeft !== undefined ? { days_left: input.daysLeft } : {}),
        ...(input.leak
          ? {
              leak: {
                source: input.leak.source,
                url: input.leak.url,
                ...(input.leak.location ? { location: input.leak.location } : {}),
              },
            }
          : {}),
      };
    },
  });
}

/** A service key's spaces and their organizations; a user key's owner's organizations. */
async function audienceOf(
  tx: DbOrTx,
  key: Pick<ApiKeyView, "keyType" | "userId" | "spaceId">,
): Promise<{ spaceIds: string[]; organizationIds: string[] }> {
  const spaceRows = await tx
    .select({ spaceId: spaceMemberships.spaceId })
    .from(spaceMemberships)
    .where(eq(spaceMemberships.userId, key.userId));
  const memberOf = await tx
    .select({ organizationId: organizationMemberships.organizationId })
    .from(organizationMemberships)
    .where(eq(organizationMemberships.userId, key.userId));
  const heldSpaces = [
    ...new Set([...(key.spaceId ? [key.spaceId] : []), ...spaceRows.map((r) => r.spaceId)]),
  ];
  const spaceOrgs =
    heldSpaces.length > 0
      ? await tx
          .select({ organizationId: spaces.organizationId })
          .from(spaces)
          .where(inArray(spaces.id, heldSpaces))
      : [];
  const organizationIds = [
    ...new Set([...memberOf.map((r) => r.organizationId), ...spaceOrgs.map((r) => r.organizationId)]),
  ];
  // SPACE subscriptions are about a space's service keys only.
  return { spaceIds: key.keyType === "service" ? heldSpaces : [], organizationIds };
}

/**
 * The key as `GET /v2/api-keys?include=details` shows it in the default dialect (lib/api/serialize.ts's
 * apiKeyJson, which lib/keys cannot import); webhook-events.test.ts checks the two agree.
 */
function keyEventJson(key: ApiKeyView): Record<string, unknown> {
  const details = key.details;
  return {
    id: encodeId("ApiKey", key.id),
    name: key.name,
    ...(key.description ? { description: key.description } : {}),
    key_type: key.keyType,
    status: key.status,
    redacted_key: key.redactedKey,
    created_at: key.createdAt.toISOString(),
    ...(key.expiresAt ? { expires_at: key.expiresAt.toISOString() } : {}),
    created_by_user_id: encodeId("User", key.createdByUserId),
    ...(key.lastUsedAt ? { last_used_at: key.lastUsedAt.toISOString() } : {}),
    ...(details && key.spaceId ? { space_id: encodeId("Space", key.spaceId) } : {}),
    ...(details?.roles
      ? {
          roles: {
            space_role: details.roles.spaceRole,
            org_role: details.roles.orgRole,
            account_role: details.roles.accountRole,
          },
        }
      : {}),
    ...(details
      ? {
          created_by: {
            id: encodeId("User", details.createdBy.id),
            name: details.createdBy.name,
            ...(details.createdBy.email ? { email: details.createdBy.email } : {}),
          },
        }
      : {}),
    ...(details?.graceUntil ? { grace_until: details.graceUntil.toISOString() } : {}),
  };
}
