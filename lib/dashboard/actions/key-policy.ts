"use server";

import { z } from "zod";
import { defineAction, fromApi } from "../define-action";
import { KeyPolicySchema } from "../../schemas/key-policy";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one; the keys API decides who may change the policy (account admins).

export const getKeyPolicyAction = defineAction({ input: z.object({}).strict() }, async (_input, { api }) =>
  fromApi(await api.GET("/v2/key-policy")),
);

/** Takes the whole policy, as the page's form gives it (validated by the API's own schema). */
export const updateKeyPolicyAction = defineAction({ input: KeyPolicySchema }, async (policy, { api }) =>
  fromApi(await api.PUT("/v2/key-policy", { body: policy })),
);
