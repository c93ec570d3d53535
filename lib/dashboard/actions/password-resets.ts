"use server";

import { defineAction, expectOk } from "../define-action";
import { RequestPasswordResetSchema } from "../../schemas/password-resets";

// A public endpoint by design (no session): the keys API answers every address alike and rate-limits
// per client address (which defineAction passes on) and per email.

/** Forgot password: asks the keys API to email a reset link; the same answer whoever owns the address. */
export const requestPasswordResetAction = defineAction(
  { input: RequestPasswordResetSchema, session: "optional" },
  async ({ email }, { api }): Promise<null> => {
    expectOk(await api.POST("/v2/password-resets", { body: { email } }));
    return null;
  },
);
