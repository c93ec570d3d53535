import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { decodeId } from "../../domain/ids";
import { notFound } from "../../domain/errors";
import { readRole } from "../../domain/role-input";
import { ACCOUNT_ROLES } from "../../roles/names";
import {
  createUser,
  getUser,
  listUsers,
  resendInvitation,
  resetPassword,
  updateUser,
  type UserView,
} from "../../directory/users";
import { blockUser } from "../../directory/directory";
import { unblockUser } from "../../directory/unblock-user";
import {
  CreateUserSchema,
  InvitationSecretSchema,
  ListUsersQuerySchema,
  ResetPasswordQuerySchema,
  UpdateUserSchema,
  UserCreatedSchema,
  UserListSchema,
  UserPathSchema,
  UserSchema,
} from "../../schemas/users";
import { UserIdParamsSchema } from "../../schemas/directory";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import type { Dialect } from "../dialect";
import { seesBlocked, userJson } from "../serialize-directory";
import { paginationJson } from "../serialize";
import { authErrors, bearer, errors, json } from "./common";
import { actorOf, directoryDeps, publicBase } from "./support";

const unprocessable = {
  description: "Not supported by this server (ANNOTATOR or CUSTOM roles), or a grant above the caller's role",
  content: errors[409].content,
};
const DIALECT_NOTE =
  " Answers follow the request's dialect (see the document's introduction): roles and statuses in lowercase by default; in SCREAMING_SNAKE_CASE for generation C clients; as role objects (`{\"type\":\"PREDEFINED\",\"name\":\"MEMBER\"}`) for generation D.";

/** Blocked people do not exist for generations C/D, whose status enum has no such value. */
function visibleTo(dialect: Dialect, user: UserView): UserView {
  if (user.status === "blocked" && !seesBlocked(dialect)) throw notFound("No user with that id.");
  return user;
}

export function registerUserRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps, auth: MiddlewareHandler<ApiEnv>) {
  const dd = directoryDeps(deps);

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/users",
      tags: ["Users"],
      summary: "List users",
      description:
        "The people of the account (never service-key bots), oldest first. Blocked people only with `include=blocked` (default dialect)." +
        DIALECT_NOTE,
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListUsersQuerySchema },
      responses: {
        200: { description: "Users", content: json(UserListSchema) },
        ...authErrors,
        403: errors[403],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const dialect = c.get("dialect");
      const page = await listUsers(dd, {
        ...actorOf(c, deps),
        email: q.email,
        search: q.search,
        statuses: q.status,
        includeBlocked: q.include === "blocked" && seesBlocked(dialect),
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(
        { users: page.items.map((u) => userJson(dialect, u)), pagination: paginationJson(page.nextCursor) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/users",
      tags: ["Users"],
      summary: "Create (invite) a user",
      description:
        "Account admins only. `invite_mode` NONE (active at once, no password: reset it with a temporary password), " +
        "EMAIL_LINK (a one-time `/invite/<token>` link valid 7 days, emailed when SMTP_URL is set) or TEMPORARY_PASSWORD " +
        "(returned once; the first session may only change it). Idempotent on email: an INVITED person is returned as-is " +
        "with 200; an EXPIRED one is invited afresh (201); an ACTIVE or blocked one is a 409. ANNOTATOR and CUSTOM roles: 422." +
        DIALECT_NOTE,
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateUserSchema) } },
      responses: {
        200: { description: "Already invited: the existing user, unchanged", content: json(UserSchema) },
        201: { description: "Created", content: json(UserCreatedSchema) },
        ...authErrors,
        403: errors[403],
        409: errors[409],
        422: unprocessable,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const dialect = c.get("dialect");
      const result = await createUser(dd, {
        ...actorOf(c, deps),
        name: body.name,
        email: body.email,
        accountRole: readRole(body.role, ACCOUNT_ROLES, "role"),
        inviteMode: body.invite_mode,
        isDeveloper: body.is_developer,
        baseUrl: publicBase(c, deps),
        variables: body,
      });
      if (!result.created) return c.json(userJson(dialect, result.user), 200);
      c.header("cache-control", "no-store");
      return c.json(
        {
          ...userJson(dialect, result.user),
          invite_mode: result.inviteMode,
          ...(result.secrets.temporaryPassword
            ? { temporary_password: result.secrets.temporaryPassword }
            : {}),
          // [ext] Clients of a known version get exactly their own schema's fields.
          ...(result.secrets.link && !dialect.client ? { invitation_url: result.secrets.link } : {}),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/users/{id}",
      tags: ["Users"],
      summary: "Get a user",
      description: "Any member of the account. Bots and other accounts' users are 404." + DIALECT_NOTE,
      security: bearer,
      middleware: [auth] as const,
      request: { params: UserPathSchema },
      responses: {
        200: { description: "The user", content: json(UserSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const dialect = c.get("dialect");
      const user = await getUser(dd, {
        ...actorOf(c, deps),
        userId: decodeId("User", c.req.valid("param").id),
      });
      return c.json(userJson(dialect, visibleTo(dialect, user)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v2/users/{id}",
      tags: ["Users"],
      summary: "Update a user",
      description:
        "Account admins only: `name`, `is_developer`, and **[ext]** `role` (the account role, `admin` | `member`, any case, " +
        "or a role object). Demoting the last active account admin is a 409." +
        DIALECT_NOTE,
      security: bearer,
      middleware: [auth] as const,
      request: { params: UserPathSchema, body: { required: true, content: json(UpdateUserSchema) } },
      responses: {
        200: { description: "The updated user", content: json(UserSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
        409: errors[409],
        422: unprocessable,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const dialect = c.get("dialect");
      const user = await updateUser(dd, {
        ...actorOf(c, deps),
        userId: decodeId("User", c.req.valid("param").id),
        name: body.name,
        isDeveloper: body.is_developer,
        accountRole: body.role === undefined ? undefined : readRole(body.role, ACCOUNT_ROLES, "role"),
        variables: body,
      });
      return c.json(userJson(dialect, user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/users/{id}",
      tags: ["Directory"],
      summary: "Block a user",
      description:
        "Account admins only, never oneself; idempotent. The user can no longer sign in, their sessions end, their " +
        "memberships go and their user keys stop working at once. Service keys they created keep working.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: UserIdParamsSchema },
      responses: {
        204: { description: "Blocked (or already blocked)" },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      await blockUser(
        deps.db,
        deps.clock,
        {
          principal: c.get("principal"),
          userId: decodeId("User", c.req.valid("param").id),
          clientAddress: clientAddress(c, deps.config),
        },
        deps.events,
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/users/{id}/unblock",
      tags: ["Directory"],
      summary: "[ext] Unblock a user",
      description:
        "Account admins only; idempotent (a person who is not blocked is left as they are). The person may sign in " +
        "again: with a password they come back `active`; blocked before they ever chose one, they come back `expired` " +
        "(Resend invitation sends a new one). Nothing else that blocking did is undone: the user keys it revoked stay " +
        "revoked (reason `owner_blocked`), and the organizations and spaces they left must be granted again. " +
        "Generations C/D do not see blocked people: 404 for them.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: UserIdParamsSchema },
      responses: {
        204: { description: "Unblocked (or not blocked)" },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      await unblockUser(
        deps.db,
        deps.clock,
        {
          principal: c.get("principal"),
          userId: decodeId("User", c.req.valid("param").id),
          clientAddress: clientAddress(c, deps.config),
          seesBlocked: seesBlocked(c.get("dialect")),
        },
        deps.events,
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/users/{id}/resend-invitation",
      tags: ["Users"],
      summary: "Resend an invitation",
      description:
        "Account admins only, for INVITED or EXPIRED people (400 for ACTIVE, 409 for blocked). A new link replaces the old one " +
        "(emailed when SMTP_URL is set); a temporary-password invitation gets a new temporary password. 204, or **[ext]** 200 " +
        "with the new `temporary_password` (every dialect) or `invitation_url` (default dialect), returned once.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: UserPathSchema },
      responses: {
        200: { description: "The new secret, once", content: json(InvitationSecretSchema) },
        204: { description: "A new link was made (and emailed)" },
        ...authErrors,
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const dialect = c.get("dialect");
      const result = await resendInvitation(dd, {
        ...actorOf(c, deps),
        userId: decodeId("User", c.req.valid("param").id),
        baseUrl: publicBase(c, deps),
      });
      c.header("cache-control", "no-store");
      if (result.secrets.temporaryPassword)
        return c.json({ temporary_password: result.secrets.temporaryPassword }, 200);
      if (result.secrets.link && !dialect.client) return c.json({ invitation_url: result.secrets.link }, 200);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/users/{id}/reset-password",
      tags: ["Users"],
      summary: "Reset a user's password",
      description:
        "Account admins only, for ACTIVE people. With SMTP_URL: a 30-minute reset link by email (204). Without it: 400, unless " +
        "**[ext]** `?mode=temporary_password`, which answers 200 with a temporary password (once) that must be changed at the next sign-in.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: UserPathSchema, query: ResetPasswordQuerySchema },
      responses: {
        200: { description: "The temporary password, once", content: json(InvitationSecretSchema) },
        204: { description: "The reset link was emailed" },
        ...authErrors,
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const mode = c.req.valid("query").mode ?? "email";
      const secrets = await resetPassword(dd, {
        ...actorOf(c, deps),
        userId: decodeId("User", c.req.valid("param").id),
        mode,
        baseUrl: publicBase(c, deps),
      });
      c.header("cache-control", "no-store");
      if (secrets.temporaryPassword) return c.json({ temporary_password: secrets.temporaryPassword }, 200);
      return c.body(null, 204);
    },
  );
}
