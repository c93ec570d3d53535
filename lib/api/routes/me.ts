/** `/v2/me`: who a credential is. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { MeSchema } from "../../schemas/directory";
import type { ApiEnv } from "../context";
import { meText } from "../serialize";
import { authErrors, bearer, json } from "./common";
import { noStoreJson } from "./support";

export function registerMeRoutes(app: OpenAPIHono<ApiEnv>, auth: MiddlewareHandler<ApiEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/me",
      tags: ["Identity"],
      summary: "Who is this credential?",
      description:
        "Verifies a credential and returns its user, effective roles at every reachable scope, and the credential type. " +
        "Any missing, malformed, unknown, revoked or expired credential gets the same 401.",
      security: bearer,
      middleware: [auth] as const,
      responses: {
        200: {
          description: "The credential is valid",
          content: json(MeSchema),
        },
        ...authErrors,
      },
    }),
    (c) => noStoreJson(meText(c.get("principal"), c.get("dialect"))),
  );
}
