/**
 * [ext] The `ax` CLI's browser sign-in, as the dashboard drives it (issue 21): the approval page reads
 * the sign-in waiting in this browser and sends the person's decision; the person lists and revokes
 * their signed-in apps. The OAuth endpoints themselves (`/oauth2/*`) are oidc-provider's
 * (lib/auth/oauth/provider.ts), outside `/v2`.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { loadAccess } from "../../auth/access";
import { resolveOAuthAccessToken } from "../../auth/oauth/access-tokens";
import { finishInteraction, interactionOf } from "../../auth/oauth/interactions";
import type { OAuthServer } from "../../auth/oauth/provider";
import { listSignedInApps, revokeSignedInApp } from "../../auth/oauth/signed-in-apps";
import { forbidden, notFound } from "../../domain/errors";
import {
  CliSignInDecisionSchema,
  CliSignInRequestSchema,
  CliSignInResultSchema,
  INTERACTION_COOKIE_HEADER,
  SignedInAppListSchema,
} from "../../schemas/cli-sign-in";
import type { CredentialResolver } from "../auth";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { authErrors, bearer, errors, json } from "./common";

/** The ax CLI's access tokens on /v2: the person's access, like a session's. */
export function oauthTokenResolver(deps: ApiDeps): CredentialResolver {
  return async (credential) => {
    const token = await resolveOAuthAccessToken(deps.db, deps.clock, credential);
    if (!token) return null;
    const access = await loadAccess(deps.db, token.userId);
    if (!access || access.user.kind !== "human") return null;
    return { ...access, credential: { type: "session", oauthGrantId: token.grantId } };
  };
}

const UidParam = z.object({
  uid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .meta({ description: "The sign-in's id, from the approval page's address." }),
});

const InteractionCookieHeader = z.object({
  [INTERACTION_COOKIE_HEADER]: z.string().max(1024).optional().meta({
    description:
      "The browser's `_interaction` and `_interaction.sig` cookies as a Cookie header: only the browser that started the sign-in may approve it.",
  }),
});

const expired = () =>
  notFound("This sign-in request has expired or was started in another browser. Run `ax auth login` again.");

/** Only a person's own dashboard session may approve or list: not an API key, not a CLI token. */
function personalSession(c: Context<ApiEnv>) {
  const principal = c.get("principal");
  if (
    principal.credential.type !== "session" ||
    principal.credential.oauthGrantId ||
    principal.user.kind !== "human"
  )
    throw forbidden("Sign in to the dashboard to do this.");
  return principal;
}

function oauthServer(oauth: OAuthServer | undefined): OAuthServer {
  if (!oauth) throw notFound("CLI sign-in is not served by this instance.");
  return oauth;
}

export function registerCliSignInRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
  oauth: OAuthServer | undefined,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/oauth2/interactions/{uid}",
      tags: ["CLI sign-in"],
      summary: "Read a CLI sign-in waiting for approval",
      description:
        "[ext] The app asking to sign in and what it asks for, if this browser started the sign-in and it has not " +
        "expired (404 otherwise). Dashboard sessions only.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: UidParam, headers: InteractionCookieHeader },
      responses: {
        200: { description: "The sign-in", content: json(CliSignInRequestSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      personalSession(c);
      const { uid } = c.req.valid("param");
      const view = await interactionOf(
        oauthServer(oauth),
        uid,
        c.req.header(INTERACTION_COOKIE_HEADER) ?? "",
      );
      if (!view) throw expired();
      return c.json(
        { uid: view.uid, client_id: view.clientId, client_name: view.clientName, scopes: view.scopes },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/oauth2/interactions/{uid}",
      tags: ["CLI sign-in"],
      summary: "Approve or deny a CLI sign-in",
      description:
        "[ext] Approve: the app gets tokens that act as this person, with all their access (like a user key), until " +
        "signed out or revoked. Deny: the app is told `access_denied`. Either way the answer says where the browser " +
        "goes next. Dashboard sessions only; only the browser that started the sign-in.",
      security: bearer,
      middleware: [auth] as const,
      request: {
        params: UidParam,
        headers: InteractionCookieHeader,
        body: { required: true, content: json(CliSignInDecisionSchema) },
      },
      responses: {
        200: { description: "Decided", content: json(CliSignInResultSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const principal = personalSession(c);
      const { uid } = c.req.valid("param");
      const redirectTo = await finishInteraction(oauthServer(oauth), deps.db, {
        uid,
        cookie: c.req.header(INTERACTION_COOKIE_HEADER) ?? "",
        decision: c.req.valid("json").decision,
        userId: principal.user.id,
        clientAddress: clientAddress(c, deps.config),
      });
      if (!redirectTo) throw expired();
      return c.json({ redirect_to: redirectTo }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/me/signed-in-apps",
      tags: ["CLI sign-in"],
      summary: "List my signed-in apps",
      description: "[ext] Each `ax auth login` this person approved that has not ended, newest first.",
      security: bearer,
      middleware: [auth] as const,
      responses: { 200: { description: "The apps", content: json(SignedInAppListSchema) }, ...authErrors },
    }),
    async (c) => {
      const apps = await listSignedInApps(deps, { userId: c.get("principal").user.id });
      return c.json(
        {
          signed_in_apps: apps.map((a) => ({
            id: a.id,
            client_id: a.clientId,
            client_name: a.clientName,
            signed_in_at: a.signedInAt.toISOString(),
            expires_at: a.expiresAt.toISOString(),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/me/signed-in-apps/{id}",
      tags: ["CLI sign-in"],
      summary: "Sign an app out",
      description: "[ext] Its tokens stop working at once, refresh tokens included.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: z.object({ id: z.string().max(100) }) },
      responses: { 204: { description: "Signed out" }, ...authErrors, 404: errors[404] },
    }),
    async (c) => {
      await revokeSignedInApp(deps, {
        userId: c.get("principal").user.id,
        grantId: c.req.valid("param").id,
        clientAddress: clientAddress(c, deps.config),
      });
      return c.body(null, 204);
    },
  );
}
