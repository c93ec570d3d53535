"use server";

import { z } from "zod";
import { defineAction, fromApi } from "../define-action";
import { IdSchema } from "../../schemas/directory-forms";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one, and the keys API authorizes the listing (space access, keys-api.md).

/**
 * A space's page, Service keys: the keys that work in the space and have not been revoked (Arize's
 * `active`: expired ones included, the page says so), newest first, with their roles.
 */
export const listSpaceServiceKeysAction = defineAction(
  { input: z.object({ spaceId: IdSchema, cursor: z.string().max(200).optional() }).strict() },
  async ({ spaceId, cursor }, { api }) =>
    fromApi(
      await api.GET("/v2/api-keys", {
        params: {
          query: {
            space_id: spaceId,
            status: "active",
            include: "details",
            limit: 25,
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
);
