"use server";

import { defineAction, fromApi } from "../define-action";
import { ApiKeyIdInputSchema } from "../../schemas/api-key-forms";
import { ListApiKeyEventsInputSchema } from "../../schemas/api-key-details";

// One key's page (lifecycle.md §1). Every export here is a public endpoint: defineAction authenticates
// (session cookie) and validates each one, and the keys API decides who may see the key (else 404).

export const getApiKeyAction = defineAction({ input: ApiKeyIdInputSchema }, async ({ id }, { api }) =>
  fromApi(await api.GET("/v2/api-keys/{id}", { params: { path: { id } } })),
);

export const listApiKeyEventsAction = defineAction(
  { input: ListApiKeyEventsInputSchema },
  async ({ id, cursor }, { api }) =>
    fromApi(
      await api.GET("/v2/api-keys/{id}/events", {
        params: { path: { id }, query: { limit: 25, ...(cursor ? { cursor } : {}) } },
      }),
    ),
);
