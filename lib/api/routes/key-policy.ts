/** `/v2/key-policy` [ext]: the account's key policy (lifecycle.md §3). */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { readKeyPolicy, updateKeyPolicy } from "../../keys/policy";
import { KeyPolicySchema, UpdateKeyPolicySchema } from "../../schemas/key-policy";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { authErrors, bearer, errors, json } from "./common";

export function registerKeyPolicyRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/key-policy",
      tags: ["Key policy"],
      summary: "Read the account's key policy",
      description:
        "[ext] Lifetime caps and defaults per key type, the days before expiry at which owners are warned, and what " +
        "a leak report does. Any signed-in caller may read it.",
      security: bearer,
      middleware: [auth] as const,
      responses: { 200: { description: "The policy", content: json(KeyPolicySchema) }, ...authErrors },
    }),
    async (c) =>
      c.json(await readKeyPolicy({ db: deps.db, accountId: c.get("principal").user.accountId }), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v2/key-policy",
      tags: ["Key policy"],
      summary: "Change the account's key policy",
      description:
        "[ext] Account admins only. Fields left out keep their value; `null` removes a cap or default. Defaults must " +
        "not exceed the caps. Keys made before a cap are not changed; creates and refreshes after it are held to it " +
        "(422 `lifetime_above_policy`).",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(UpdateKeyPolicySchema) } },
      responses: {
        200: { description: "The policy as saved", content: json(KeyPolicySchema) },
        ...authErrors,
        403: errors[403],
      },
    }),
    async (c) => {
      const policy = await updateKeyPolicy({
        db: deps.db,
        clock: deps.clock,
        principal: c.get("principal"),
        clientAddress: clientAddress(c, deps.config),
        changes: c.req.valid("json"),
      });
      return c.json(policy, 200);
    },
  );
}
