/** `/v2/organizations…`: organizations and their members. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { decodeId } from "../../domain/ids";
import { createScope } from "../../directory/scopes/create-scope";
import { getScope } from "../../directory/scopes/get-scope";
import { listScopes } from "../../directory/scopes/list-scopes";
import { updateScope } from "../../directory/scopes/update-scope";
import {
  AddMemberSchema,
  CreateOrganizationSchema,
  ListOrganizationsQuerySchema,
  OrganizationListSchema,
  OrganizationMemberListSchema,
  OrganizationMembershipSchema,
  OrganizationSchema,
  ScopeIdParamsSchema,
  UpdateOrganizationSchema,
} from "../../schemas/directory";
import type { ApiDeps, ApiEnv } from "../context";
import { organizationJson } from "../serialize-directory";
import { paginationJson } from "../serialize";
import { authErrors, bearer, changeErrors, errors, json, ROLE_NOTE } from "./common";
import { registerScopeRoutes } from "./scope-routes";
import { actorOf, directoryDeps } from "./support";

export function registerOrganizationRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  const dd = directoryDeps(deps);
  const orgId = (id: string) => decodeId("Organization", id);

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/organizations",
      tags: ["Directory"],
      summary: "List organizations the caller can access",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListOrganizationsQuerySchema },
      responses: {
        200: {
          description: "Organizations, oldest first",
          content: json(OrganizationListSchema),
        },
        ...authErrors,
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await listScopes(deps.db, {
        kind: "organization",
        principal: c.get("principal"),
        name: query.name,
        limit: query.limit,
        cursor: query.cursor,
      });
      return c.json(
        {
          organizations: page.items.map((o) => organizationJson(c.get("dialect"), o)),
          pagination: paginationJson(page.nextCursor),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/organizations",
      tags: ["Directory"],
      summary: "Create an organization",
      description: "Account admins only. The name is unique within the account (409).",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateOrganizationSchema) } },
      responses: { 201: { description: "Created", content: json(OrganizationSchema) }, ...changeErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const org = await createScope(dd, {
        kind: "organization",
        ...actorOf(c, deps),
        ...body,
        variables: body,
      });
      return c.json(organizationJson(c.get("dialect"), org), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/organizations/{id}",
      tags: ["Directory"],
      summary: "Get an organization",
      description: "Members of the organization (every organization, for account admins); 404 for others.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema },
      responses: {
        200: { description: "The organization", content: json(OrganizationSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const org = await getScope(dd, {
        ...actorOf(c, deps),
        kind: "organization",
        id: orgId(c.req.valid("param").id),
      });
      return c.json(organizationJson(c.get("dialect"), org), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v2/organizations/{id}",
      tags: ["Directory"],
      summary: "Rename or describe an organization",
      description: "Account admins only. `description: null` clears it.",
      security: bearer,
      middleware: [auth] as const,
      request: {
        params: ScopeIdParamsSchema,
        body: { required: true, content: json(UpdateOrganizationSchema) },
      },
      responses: { 200: { description: "Updated", content: json(OrganizationSchema) }, ...changeErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const org = await updateScope(dd, {
        kind: "organization",
        ...actorOf(c, deps),
        id: orgId(c.req.valid("param").id),
        ...body,
        variables: body,
      });
      return c.json(organizationJson(c.get("dialect"), org), 200);
    },
  );

  registerScopeRoutes(app, deps, auth, {
    kind: "organization",
    idKind: "Organization",
    path: "/v2/organizations/{id}",
    delete: {
      summary: "Delete an organization",
      description:
        "Account admins only. Deletes its spaces and memberships. **[ext]** While it holds active service keys: 409 naming how many, " +
        "unless `?force=true`, which revokes them in the same transaction.",
    },
    list: {
      summary: "[ext] List an organization's members",
      description: "Anyone with access to the organization. Oldest account first; bots never appear.",
      schema: OrganizationMemberListSchema,
      answer: (page, scopeId) => ({
        ...page,
        memberships: page.memberships.map((m) => ({ ...m, organization_id: scopeId })),
      }),
    },
    add: {
      summary: "Add a member to an organization, or change their role (upsert)",
      description: "Admins of the organization (and account admins)." + ROLE_NOTE,
      body: AddMemberSchema,
      schema: OrganizationMembershipSchema,
      answer: ({ id, user_id, role }, scopeId) => ({ id, user_id, organization_id: scopeId, role }),
    },
    remove: {
      summary: "Remove a member from an organization",
      description:
        "Admins of the organization. Also removes them from every space of it. 404 if not a member.",
    },
  });
}
