"use server";

import { defineAction, expectOk, fromApi } from "../define-action";
import { apiStatusFilter, ApiKeyIdInputSchema, ListApiKeysInputSchema } from "../../schemas/api-key-forms";
import { CreateApiKeySchema, RefreshApiKeySchema } from "../../schemas/api-keys";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one, and the keys API authorizes everything (the role rules in lib/roles).

export const listApiKeysAction = defineAction(
  { input: ListApiKeysInputSchema },
  async ({ tab, spaceId, status, search, cursor }, { api }) => {
    return fromApi(
      await api.GET("/v2/api-keys", {
        params: {
          query: {
            // Service Keys without a space: every space the viewer can see. Details (roles, creator,
            // space, grace_until) on both tabs.
            ...(tab === "service" ? (spaceId ? { space_id: spaceId } : { key_type: "service" }) : {}),
            // Details on both tabs; drift marks service keys holding a role above their creator's.
            include: "details,exceeds_creator_role",
            status: apiStatusFilter(status),
            limit: 25,
            ...(search ? { name: search } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    );
  },
);

/** Takes the API's own create body, validated by the API's own schema. */
export const createApiKeyAction = defineAction({ input: CreateApiKeySchema }, async (input, { api }) =>
  fromApi(
    await api.POST("/v2/api-keys", {
      body: {
        name: input.name,
        ...(input.description ? { description: input.description } : {}),
        key_type: input.key_type ?? "user",
        ...(input.expires_at ? { expires_at: input.expires_at.toISOString() } : {}),
        ...(input.key_type === "service" ? { space_id: input.space_id, roles: input.roles } : {}),
      },
    }),
  ),
);

export const refreshApiKeyAction = defineAction(
  { input: ApiKeyIdInputSchema.extend({ body: RefreshApiKeySchema.optional() }) },
  async ({ id, body = {} }, { api }) =>
    fromApi(
      await api.POST("/v2/api-keys/{id}/refresh", {
        params: { path: { id } },
        body: {
          ...(body.expires_at ? { expires_at: body.expires_at.toISOString() } : {}),
          ...(body.grace_period_seconds ? { grace_period_seconds: body.grace_period_seconds } : {}),
        },
      }),
    ),
);

export const revokeApiKeyAction = defineAction({ input: ApiKeyIdInputSchema }, async ({ id }, { api }) => {
  expectOk(await api.PUT("/v2/api-keys/{id}/revoke", { params: { path: { id } } }));
  return null;
});
