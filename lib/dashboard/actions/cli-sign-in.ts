"use server";

import { z } from "zod";
import { defineAction, expectOk, fromApi } from "../define-action";
import { interactionCookieHeader } from "../cli-sign-in";
import { CliSignInDecisionSchema, INTERACTION_COOKIE_HEADER } from "../../schemas/cli-sign-in";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one; the keys API checks that this browser started the sign-in (its interaction cookies).

const Uid = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The ax CLI's sign-in waiting in this browser, for the approval page. */
export const getCliSignInAction = defineAction({ input: z.object({ uid: Uid }) }, async ({ uid }, { api }) =>
  fromApi(
    await api.GET("/v2/oauth2/interactions/{uid}", {
      params: { path: { uid }, header: { [INTERACTION_COOKIE_HEADER]: await interactionCookieHeader() } },
    }),
  ),
);

/** Approve or Deny: answers where the browser goes next (the authorization server, then the CLI). */
export const decideCliSignInAction = defineAction(
  { input: CliSignInDecisionSchema.extend({ uid: Uid }) },
  async ({ uid, decision }, { api }) =>
    fromApi(
      await api.POST("/v2/oauth2/interactions/{uid}", {
        params: { path: { uid }, header: { [INTERACTION_COOKIE_HEADER]: await interactionCookieHeader() } },
        body: { decision },
      }),
    ),
);

export const listSignedInAppsAction = defineAction(
  { input: z.object({}).strict() },
  async (_input, { api }) => fromApi(await api.GET("/v2/me/signed-in-apps")),
);

export const revokeSignedInAppAction = defineAction(
  { input: z.object({ id: z.string().min(1).max(100) }) },
  async ({ id }, { api }) => {
    expectOk(await api.DELETE("/v2/me/signed-in-apps/{id}", { params: { path: { id } } }));
    return { id };
  },
);
