import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { blockUser } from "../../directory/directory";
import { listScopes } from "../../directory/scopes/list-scopes";
import { decodeId } from "../../domain/ids";
import {
  ListOrganizationsQuerySchema,
  ListSpacesQuerySchema,
  MeSchema,
  OrganizationListSchema,
  SpaceListSchema,
  UserIdParamsSchema,
} from "../../schemas/directory";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { meText, paginationJson } from "../serialize";
import { authErrors, bearer, errors, json } from "./common";
import { noStoreJson } from "./support";
import { organizationJson, spaceJson } from "../serialize-directory";

export function registerDirectoryRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
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
        organizationId: query.org_id === undefined ? undefined : decodeId("Organization", query.org_id),
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
          organizations: page.items.map(organizationJson),
          pagination: paginationJson(page.nextCursor),
        },
        200,
      );
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
}
