import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { encodeId } from "../../domain/ids";
import { invalid, notFound } from "../../domain/errors";
import { changeOwnPassword } from "../../auth/sessions";
import { acceptInvitation, describeInvitation } from "../../directory/invitations";
import {
  AcceptInvitationSchema,
  InvitationSchema,
  InvitationTokenParamsSchema,
  SessionSchema,
  SetupSchema,
  SetupStatusSchema,
} from "../../schemas/first-run";
import { ChangePasswordSchema } from "../../schemas/users";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { CHANGE_PASSWORD_PATH } from "../auth";
import { authErrors, bearer, errors, json } from "./common";

const sessionJson = (s: {
  token: string;
  expiresAt: Date;
  user: { id: string; name: string; email: string };
}) => ({
  token: s.token,
  expires_at: s.expiresAt.toISOString(),
  user: { ...s.user, id: encodeId("User", s.user.id) },
});

/** A session this request opened: 201 with its token, never stored. */
function signedIn(c: Context<ApiEnv>, session: Parameters<typeof sessionJson>[0]) {
  c.header("cache-control", "no-store");
  return c.json(sessionJson(session), 201);
}

/** First run (setup), invitation links and one's own password: the ways in before a normal session. */
export function registerFirstRunRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  const sessionDeps = { db: deps.db, clock: deps.clock, sessions: deps.config.sessions };

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/setup",
      tags: ["First run"],
      summary: "[ext] Is first-run setup open?",
      description: "200 while no account exists (the server log holds the setup link); 404 once one does.",
      responses: {
        200: { description: "Setup is open", content: json(SetupStatusSchema) },
        404: errors[404],
      },
    }),
    async (c) => {
      if (!(await deps.firstRun.needed(deps.db))) throw notFound("Keydesk is already set up.");
      return c.json({ setup_required: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/setup",
      tags: ["First run"],
      summary: "[ext] Create the account and its first admin",
      description:
        "With the one-time token printed at start (`Set up Keydesk: …/setup?token=…`). Creates the account and its first admin " +
        "and signs them in. Single-use; 403 for a wrong token; 404 once an account exists. Passwords: at least 12 characters.",
      request: { body: { required: true, content: json(SetupSchema) } },
      responses: {
        201: { description: "Set up and signed in", content: json(SessionSchema) },
        400: authErrors[400],
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await deps.firstRun.complete(sessionDeps, {
        token: body.token,
        accountName: body.account_name,
        name: body.name,
        email: body.email,
        password: body.password,
        clientAddress: clientAddress(c, deps.config),
      });
      return signedIn(c, result);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/invitations/{token}",
      tags: ["First run"],
      summary: "[ext] What an invitation or reset link is for",
      description:
        "For the `/invite/<token>` page: the account's name and the person's. 404 once used, replaced or expired.",
      request: { params: InvitationTokenParamsSchema },
      responses: {
        200: { description: "The invitation", content: json(InvitationSchema) },
        404: errors[404],
      },
    }),
    async (c) => {
      const inv = await describeInvitation(deps.db, deps.clock, c.req.valid("param").token);
      c.header("cache-control", "no-store");
      return c.json(
        { purpose: inv.purpose, account_name: inv.accountName, name: inv.name, email: inv.email },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/invitations/{token}",
      tags: ["First run"],
      summary: "[ext] Join (or set a new password) through a link",
      description:
        "Sets the password (and, for an invitation, the name), makes the person ACTIVE, spends the link and signs them in.",
      request: {
        params: InvitationTokenParamsSchema,
        body: { required: true, content: json(AcceptInvitationSchema) },
      },
      responses: {
        201: { description: "Joined and signed in", content: json(SessionSchema) },
        400: authErrors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await acceptInvitation(sessionDeps, {
        token: c.req.valid("param").token,
        name: body.name,
        password: body.password,
        clientAddress: clientAddress(c, deps.config),
      });
      return signedIn(c, result);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: CHANGE_PASSWORD_PATH,
      tags: ["Sessions"],
      summary: "[ext] Change your own password",
      description:
        "The only call a session opened with a temporary password may make, besides signing out (every other call " +
        "answers 403 with code `password_change_required`). Ends your other sessions. Wrong current passwords are " +
        "slowed like failed sign-ins, per person (429 with Retry-After).",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(ChangePasswordSchema) } },
      responses: { 204: { description: "Changed" }, ...authErrors, 403: errors[403] },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      if (principal.user.kind !== "human") throw invalid("Service keys have no password.");
      await changeOwnPassword(
        { db: deps.db, clock: deps.clock, policy: deps.config.sessions },
        {
          userId: principal.user.id,
          accountId: principal.user.accountId,
          sessionId: principal.credential.sessionId,
          credentialType: principal.credential.type,
          currentPassword: body.current_password,
          newPassword: body.new_password,
          clientAddress: clientAddress(c, deps.config),
        },
      );
      return c.body(null, 204);
    },
  );
}
