import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { notFound, unsupported } from "../../domain/errors";
import { listAuditLogs } from "../../directory/audit-logs";
import {
  AuditLogListSchema,
  ListAuditLogsQuerySchema,
  ListRolesQuerySchema,
  RoleIdParamsSchema,
  RoleListSchema,
  RoleSchema,
} from "../../schemas/roles-and-audit";
import type { ApiDeps, ApiEnv } from "../context";
import { enumValue, type Dialect } from "../dialect";
import { auditLogJson } from "../serialize-directory";
import { paginationJson } from "../serialize";
import { authErrors, bearer, errors, json } from "./common";
import { actorOf, directoryDeps } from "./support";
import { auditLogFilters } from "./audit-logs";

const notSupported = { description: "Not supported by this server", content: errors[409].content };

/** The predefined roles: what each lets a person do in Keydesk, in 1.28's permission names. */
const PREDEFINED = [
  {
    role: "admin",
    description: "Manages the scope: its members, spaces and every service key in it.",
    permissions: [
      "ORGANIZATION_READ",
      "ORGANIZATION_UPDATE",
      "SPACE_CREATE",
      "SPACE_READ",
      "SPACE_UPDATE",
      "SPACE_DELETE",
      "USER_READ",
      "ROLE_BINDING_CREATE",
      "ROLE_BINDING_DELETE",
      "ROLE_BINDING_READ",
      "SERVICE_KEY_CREATE",
      "SERVICE_KEY_READ",
      "SERVICE_KEY_REVOKE",
    ],
  },
  {
    role: "member",
    description: "Works in the scope: creates service keys and revokes the ones they created.",
    permissions: [
      "ORGANIZATION_READ",
      "SPACE_READ",
      "USER_READ",
      "SERVICE_KEY_CREATE",
      "SERVICE_KEY_READ",
      "SERVICE_KEY_REVOKE",
    ],
  },
  {
    role: "read-only",
    description: "Sees the scope and its service keys; changes nothing.",
    permissions: ["ORGANIZATION_READ", "SPACE_READ", "USER_READ", "SERVICE_KEY_READ"],
  },
] as const;

const EPOCH = new Date(0).toISOString();

function roleJson(dialect: Dialect, r: (typeof PREDEFINED)[number]) {
  return {
    id: Buffer.from(`Role:${r.role}`).toString("base64"),
    name: enumValue(dialect, r.role),
    description: r.description,
    permissions: [...r.permissions],
    is_predefined: true,
    created_at: EPOCH,
    updated_at: EPOCH,
  };
}

/** Arize operations whose parts Keydesk does not have: a clear 422, never a 404 or 500. */
const UNSUPPORTED = [
  ["post", "/v2/roles", "Create a custom role", "Custom roles are"],
  ["patch", "/v2/roles/{id}", "Update a role", "Changing roles is"],
  ["delete", "/v2/roles/{id}", "Delete a role", "Deleting roles is"],
  ["get", "/v2/role-bindings", "List role bindings", "Role bindings are"],
  ["post", "/v2/role-bindings", "Create a role binding", "Role bindings are"],
  ["get", "/v2/role-bindings/{id}", "Get a role binding", "Role bindings are"],
  ["patch", "/v2/role-bindings/{id}", "Update a role binding", "Role bindings are"],
  ["delete", "/v2/role-bindings/{id}", "Delete a role binding", "Role bindings are"],
  ["post", "/v2/resource-restrictions", "Restrict a resource", "Resource restrictions are"],
  ["delete", "/v2/resource-restrictions/{id}", "Remove a resource restriction", "Resource restrictions are"],
] as const;

export function registerRoleAndAuditRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/roles",
      tags: ["Roles"],
      summary: "List roles",
      description:
        "The predefined roles (admin, member, read-only; names in the request's dialect). Custom roles are not supported by this server.",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListRolesQuerySchema },
      responses: { 200: { description: "Roles", content: json(RoleListSchema) }, ...authErrors },
    }),
    (c) => {
      const dialect = c.get("dialect");
      const q = c.req.valid("query");
      // Three roles, one page: there are no custom roles, and no page after the first.
      const roles = q.is_predefined === "false" || q.cursor ? [] : PREDEFINED;
      return c.json(
        { roles: roles.map((r) => roleJson(dialect, r)), pagination: paginationJson(undefined) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/roles/{id}",
      tags: ["Roles"],
      summary: "Get a role",
      security: bearer,
      middleware: [auth] as const,
      request: { params: RoleIdParamsSchema },
      responses: {
        200: { description: "The role", content: json(RoleSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    (c) => {
      const id = c.req.valid("param").id;
      const role = PREDEFINED.find((r) => Buffer.from(`Role:${r.role}`).toString("base64") === id);
      if (!role) throw notFound("No role with that id.");
      return c.json(roleJson(c.get("dialect"), role), 200);
    },
  );

  for (const [method, path, summary, what] of UNSUPPORTED) {
    app.openapi(
      createRoute({
        method,
        path,
        tags: ["Not supported"],
        summary,
        description: `${what} not supported by this server: 422 (Arize has them; Keydesk has predefined roles only).`,
        security: bearer,
        middleware: [auth] as const,
        responses: { 422: notSupported, ...authErrors },
      }),
      () => {
        throw unsupported(what);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/audit-logs",
      tags: ["Audit"],
      summary: "List audit logs",
      description:
        "Account admins only. Every change made through the API, newest first, in 1.28's AuditLog shape: `operation_type` " +
        "MUTATION, `operation_name` the operation's id, `variables` the request body without secrets, `ip`, `user_id` of the actor. " +
        "[ext] In Keydesk's own dialect each entry also names its `actor` and `target`.",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListAuditLogsQuerySchema },
      responses: {
        200: { description: "Audit log entries", content: json(AuditLogListSchema) },
        ...authErrors,
        403: errors[403],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const dialect = c.get("dialect");
      const page = await listAuditLogs(directoryDeps(deps), {
        ...actorOf(c, deps),
        ...auditLogFilters(dialect, q),
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(
        {
          logs: page.items.map((entry) => auditLogJson(dialect, entry)),
          pagination: paginationJson(page.nextCursor),
        },
        200,
      );
    },
  );
}
