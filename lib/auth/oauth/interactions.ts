/**
 * The approval step of the ax CLI's sign-in, for the keys API's route (lib/api/routes/cli-sign-in.ts):
 * read the sign-in waiting in the person's browser, and finish it with their decision through
 * oidc-provider's interaction API.
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import type { Db } from "../../db/client";
import { encodeId } from "../../domain/ids";
import { auditOAuth, CLI_CLIENT_ID } from "./audit";
import type { OAuthServer } from "./provider";

/** Where oidc-provider sends the browser to approve a sign-in: a dashboard page (app/cli/authorize/[uid]). */
export const INTERACTION_PATH = "/cli/authorize";

/**
 * A request as the provider sees it from the browser holding the interaction's cookies: the dashboard
 * forwards those two cookies (and nothing else), so only the browser that started a sign-in can
 * approve it.
 */
function browserRequest(uid: string, cookie: string) {
  const req = new IncomingMessage(new Socket());
  req.method = "GET";
  req.url = `${INTERACTION_PATH}/${uid}`;
  req.headers = { host: "localhost", cookie };
  return { req, res: new ServerResponse(req) };
}

export interface InteractionView {
  uid: string;
  clientId: string;
  clientName: string;
  scopes: string[];
  redirectUri: string;
}

/** The sign-in waiting for approval, if this browser started it and it has not expired. */
export async function interactionOf(
  server: OAuthServer,
  uid: string,
  cookie: string,
): Promise<InteractionView | null> {
  const { req, res } = browserRequest(uid, cookie);
  const interaction = await server.provider.interactionDetails(req, res).catch(() => null);
  if (!interaction || interaction.uid !== uid) return null;
  const params = interaction.params;
  return {
    uid,
    clientId: String(params.client_id ?? ""),
    clientName: params.client_id === CLI_CLIENT_ID ? "ax CLI" : String(params.client_id ?? ""),
    scopes: String(params.scope ?? "")
      .split(" ")
      .filter(Boolean),
    redirectUri: String(params.redirect_uri ?? ""),
  };
}

/**
 * Finishes a sign-in with the person's decision: approve grants the scopes asked for, as that person;
 * deny sends the CLI `access_denied`. Returns where the browser goes next (the provider's resume URL).
 */
export async function finishInteraction(
  server: OAuthServer,
  db: Db,
  input: {
    uid: string;
    cookie: string;
    decision: "approve" | "deny";
    userId: string;
    clientAddress: string | null;
  },
): Promise<string | null> {
  const { req, res } = browserRequest(input.uid, input.cookie);
  const interaction = await server.provider.interactionDetails(req, res).catch(() => null);
  if (!interaction || interaction.uid !== input.uid) return null;
  if (input.decision === "deny") {
    return server.provider.interactionResult(
      req,
      res,
      { error: "access_denied", error_description: "The person denied the sign-in." },
      { mergeWithLastSubmission: false },
    );
  }
  const accountId = encodeId("User", input.userId);
  const grant = new server.provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
  const scope = String(interaction.params.scope ?? "openid");
  grant.addOIDCScope(
    scope
      .split(" ")
      .filter((s) => s === "openid" || s === "email")
      .join(" ") || "openid",
  );
  const grantId = await grant.save();
  await auditOAuth(db, {
    userId: input.userId,
    action: "oauth.authorize",
    grantId,
    clientAddress: input.clientAddress,
  });
  return server.provider.interactionResult(
    req,
    res,
    { login: { accountId, remember: false }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}
