import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { PasswordResetAvailabilitySchema, RequestPasswordResetSchema } from "../../schemas/password-resets";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { authErrors, json } from "./common";

/** Forgot password ([ext]): asking for a reset link by email, without signing in. */
export function registerPasswordResetRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps) {
  const resets = deps.passwordResets;

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/password-resets",
      tags: ["First run"],
      summary: "[ext] Is Forgot password offered?",
      description: "For the sign-in page: `available` is true when this server sends email (`SMTP_URL`).",
      responses: {
        200: { description: "Whether it is offered", content: json(PasswordResetAvailabilitySchema) },
      },
    }),
    (c) => c.json({ available: resets.available }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/password-resets",
      tags: ["First run"],
      summary: "[ext] Ask for a password-reset link by email",
      description:
        "Always 202 with no body, whether or not the email belongs to anyone, after the same work: the person is " +
        "looked up after the answer. An ACTIVE person gets the same 30-minute, single-use link as an admin's reset " +
        "(`<PUBLIC_URL, else the server's own address>/reset-password/<token>`, never the request's Host); blocked people, people who have not joined yet and unknown " +
        "addresses get nothing. At most 3 emails per address an hour (more requests: 202, nothing sent) and 10 " +
        "requests per client address in 15 minutes (429 with Retry-After). 400 when the server sends no email.",
      request: { body: { required: true, content: json(RequestPasswordResetSchema) } },
      responses: {
        202: { description: "Accepted: if an account exists for that email, a link is on its way" },
        400: authErrors[400],
        429: authErrors[429],
      },
    }),
    async (c) => {
      await resets.request({
        email: c.req.valid("json").email,
        clientAddress: clientAddress(c, deps.config),
      });
      c.header("cache-control", "no-store");
      return c.body(null, 202);
    },
  );
}
