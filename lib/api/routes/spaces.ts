/** `/v2/spaces…`: spaces and their members. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { decodeId } from "../../domain/ids";
import { createScope } from "../../directory/scopes/create-scope";
import { getScope } from "../../directory/scopes/get-scope";
import { listScopes } from "../../directory/scopes/list-scopes";
import { updateScope } from "../../directory/scopes/update-scope";
import {
  AddSpaceUserSchema,
  CreateSpaceSchema,
  ListSpacesQuerySchema,
  ScopeIdParamsSchema,
  SpaceListSchema,
  SpaceMemberListSchema,
  SpaceMembershipSchema,
  SpaceSchema,
  UpdateSpaceSchema,
} from "../../schemas/directory";
import type { ApiDeps, ApiEnv } from "../context";
import { spaceJson } from "../serialize-directory";
import { paginationJson } from "../serialize";
import { authErrors, bearer, changeErrors, errors, json, ROLE_NOTE } from "./common";
import { registerScopeRoutes } from "./scope-routes";
import { actorOf, directoryDeps } from "./support";

export function registerSpaceRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  const dd = directoryDeps(deps);
  const orgId = (id: string) => decodeId("Organization", id);
  const spaceId = (id: string) => decodeId("Space", id);

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/spaces",
      tags: ["Directory"],
      summary: "List spaces the caller can access",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListSpacesQuerySchema },
      responses: {
        200: {
          description: "Spaces, oldest first",
          content: json(SpaceListSchema),
        },
        ...authErrors,
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await listScopes(deps.db, {
        kind: "space",
        principal: c.get("principal"),
        organizationId: query.org_id === undefined ? undefined : orgId(query.org_id),
        name: query.name,
        limit: query.limit,
        cursor: query.cursor,
      });
      const dialect = c.get("dialect");
      return c.json(
        {
          spaces: page.items.map((s) => spaceJson(dialect, s)),
          pagination: paginationJson(page.nextCursor),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/spaces",
      tags: ["Directory"],
      summary: "Create a space",
      description:
        "Admins of the organization (and account admins). The name is unique within the organization (409). `is_private` " +
        "(default false): visible only to its members and the admins above them.",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateSpaceSchema) } },
      responses: { 201: { description: "Created", content: json(SpaceSchema) }, ...changeErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const space = await createScope(dd, {
        kind: "space",
        ...actorOf(c, deps),
        organizationId: orgId(body.organization_id),
        name: body.name,
        description: body.description,
        isPrivate: body.is_private,
        variables: body,
      });
      return c.json(spaceJson(c.get("dialect"), space), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/spaces/{id}",
      tags: ["Directory"],
      summary: "Get a space",
      description:
        "Its members, the admins above them, and (if public) the members of its organization; 404 for others.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema },
      responses: {
        200: { description: "The space", content: json(SpaceSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const space = await getScope(dd, {
        ...actorOf(c, deps),
        kind: "space",
        id: spaceId(c.req.valid("param").id),
      });
      return c.json(spaceJson(c.get("dialect"), space), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v2/spaces/{id}",
      tags: ["Directory"],
      summary: "Rename, describe or change the visibility of a space",
      description: "Admins of its organization (and account admins). `description: null` clears it.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema, body: { required: true, content: json(UpdateSpaceSchema) } },
      responses: { 200: { description: "Updated", content: json(SpaceSchema) }, ...changeErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const space = await updateScope(dd, {
        kind: "space",
        ...actorOf(c, deps),
        id: spaceId(c.req.valid("param").id),
        name: body.name,
        description: body.description,
        isPrivate: body.is_private,
        variables: body,
      });
      return c.json(spaceJson(c.get("dialect"), space), 200);
    },
  );

  registerScopeRoutes(app, deps, auth, {
    kind: "space",
    idKind: "Space",
    path: "/v2/spaces/{id}",
    delete: {
      summary: "Delete a space",
      description:
        "Admins of its organization (and account admins). **[ext]** While it holds active service keys: 409 naming how many, " +
        "unless `?force=true`, which revokes them in the same transaction.",
    },
    list: {
      summary: "[ext] List a space's members",
      description:
        "Anyone who can see the space (a private space's list is 404 to others). Bots never appear.",
      schema: SpaceMemberListSchema,
      answer: (page, scopeId) => ({
        ...page,
        memberships: page.memberships.map((m) => ({ ...m, space_id: scopeId })),
      }),
    },
    add: {
      summary: "Add a member to a space, or change their role (upsert)",
      description:
        "Admins of the space or its organization. The person must already be a member of the space's organization (400), " +
        "unless **[ext]** `join_organization: true` adds them to it as read-only in the same transaction (the caller must also manage the organization's members)." +
        ROLE_NOTE,
      body: AddSpaceUserSchema,
      schema: SpaceMembershipSchema,
      answer: ({ id, user_id, role }, scopeId) => ({ id, user_id, space_id: scopeId, role }),
    },
    remove: {
      summary: "Remove a member from a space",
      description: "Admins of the space or its organization. 404 if not a member.",
    },
  });
}
