"use server";

import { defineAction, fromApi } from "../define-action";
import { ListAccountKeysInputSchema, RevokeApiKeysSchema } from "../../schemas/inventory";
import { systemClock } from "../../clock";
import { apiStatusFilter } from "../../schemas/api-key-forms";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one, and the keys API authorizes everything (account admins only for the list).

const DAY_MS = 86_400_000;

/** All Keys: every key in the account, with the tab's filters turned into the API's. */
export const listAccountKeysAction = defineAction(
  { input: ListAccountKeysInputSchema },
  async ({ type, status, ownerId, expiringWithin, unusedFor, exceedsPolicy, cursor }, { api }) => {
    const now = systemClock.now().getTime();
    const days = (n: string, sign: 1 | -1) => new Date(now + sign * Number(n) * DAY_MS).toISOString();
    return fromApi(
      await api.GET("/v2/api-keys", {
        params: {
          query: {
            scope: "account",
            status: apiStatusFilter(status),
            limit: 25,
            ...(type ? { key_type: type } : {}),
            ...(ownerId ? { owner_id: ownerId } : {}),
            ...(expiringWithin ? { expires_before: days(expiringWithin, 1) } : {}),
            ...(unusedFor ? { unused_since: days(unusedFor, -1) } : {}),
            ...(exceedsPolicy ? { exceeds_policy: "true" as const } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    );
  },
);

/** Revoke selected: one request, one transaction; answers how many were revoked. */
export const revokeApiKeysAction = defineAction({ input: RevokeApiKeysSchema }, async ({ ids }, { api }) =>
  fromApi(await api.POST("/v2/api-keys/revoke", { body: { ids } })),
);
