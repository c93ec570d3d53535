import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { invalid } from "../../domain/errors";
import { encodeId } from "../../domain/ids";
import { signIn, signOut } from "../../auth/sessions";
import { SessionSchema, SignInSchema } from "../../schemas/sessions";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { SIGN_OUT_PATH } from "../auth";
import { authErrors, bearer, json } from "./common";

export function registerSessionRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/sessions",
      tags: ["Sessions"],
      summary: "Sign in",
      description:
        "Exchanges an email and password for a session token. Repeated failures are slowed with growing delays (429 with Retry-After), counted per email and client address and per client address.",
      request: { body: { required: true, content: json(SignInSchema) } },
      responses: {
        201: { description: "Signed in", content: json(SessionSchema) },
        400: authErrors[400],
        401: authErrors[401],
        429: authErrors[429],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await signIn(
        { db: deps.db, clock: deps.clock, policy: deps.config.sessions },
        {
          email: body.email,
          password: body.password,
          clientAddress: clientAddress(c, deps.config),
          adminsOnly: deps.config.signIn?.passwordSignIn === false,
        },
      );
      c.header("cache-control", "no-store");
      return c.json(
        {
          token: result.token,
          expires_at: result.expiresAt.toISOString(),
          user: { ...result.user, id: encodeId("User", result.user.id) },
          ...(result.passwordChangeRequired ? { password_change_required: true as const } : {}),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: SIGN_OUT_PATH,
      tags: ["Sessions"],
      summary: "Sign out",
      description:
        "Ends the session whose token authenticates this request (a session opened with a temporary password too).",
      security: bearer,
      middleware: [auth] as const,
      responses: { 204: { description: "Signed out" }, ...authErrors },
    }),
    async (c) => {
      const principal = c.get("principal");
      const sessionId = principal.credential.sessionId;
      if (!sessionId) throw invalid("Sign-out needs a session token, not an API key.");
      await signOut(
        { db: deps.db, clock: deps.clock },
        {
          sessionId,
          userId: principal.user.id,
          accountId: principal.user.accountId,
          clientAddress: clientAddress(c, deps.config),
        },
      );
      return c.body(null, 204);
    },
  );
}
