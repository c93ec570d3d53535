"use server";

import { defineAction, fromApi } from "../define-action";
import { LookupApiKeySchema } from "../../schemas/api-key-lookup";

// Check a key (lifecycle.md §6). A public endpoint like every export here: defineAction authenticates
// (session cookie) and validates; the keys API decides who may see the key. The key travels in the
// action's body and the API call's body only: never a URL, never a log line.

export const lookupApiKeyAction = defineAction({ input: LookupApiKeySchema }, async ({ key }, { api }) =>
  fromApi(await api.POST("/v2/api-keys/lookup", { body: { key } })),
);
