/**
 * What `/v2/organizations/{id}…` and `/v2/spaces/{id}…` share, written once for both kinds: deleting
 * the scope, and its members (`…/users`). Each resource's file gives its texts, its schemas and how
 * its answers name the scope.
 */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { addScopeMember } from "../../directory/scopes/add-scope-member";
import { deleteScope } from "../../directory/scopes/delete-scope";
import { listScopeMembers } from "../../directory/scopes/list-scope-members";
import { removeScopeMember } from "../../directory/scopes/remove-scope-member";
import type { ScopeKindName } from "../../directory/scopes/scope-kinds";
import { decodeId } from "../../domain/ids";
import {
  type AddMemberSchema,
  type AddSpaceUserSchema,
  DeleteScopeQuerySchema,
  MemberParamsSchema,
  PageQuerySchema,
  ScopeIdParamsSchema,
} from "../../schemas/directory";
import type { ApiDeps, ApiEnv } from "../context";
import { membershipJson } from "../serialize-directory";
import { paginationJson } from "../serialize";
import { authErrors, bearer, changeErrors, errors, grantUnprocessable, json } from "./common";
import { actorOf, directoryDeps, forceFlag } from "./support";

type MembershipJson = ReturnType<typeof membershipJson>;
type Text = { summary: string; description: string };

export interface ScopeRoutes<List extends z.ZodType, Membership extends z.ZodType> {
  kind: ScopeKindName;
  /** The scope's id kind in the API's ids. */
  idKind: "Organization" | "Space";
  /** `/v2/organizations/{id}`. */
  path: string;
  delete: Text;
  list: Text & {
    schema: List;
    answer: (
      page: { memberships: MembershipJson[]; pagination: ReturnType<typeof paginationJson> },
      scopeId: string,
    ) => z.output<List>;
  };
  add: Text & {
    /** The request body: AddMemberRequest, or a space's with [ext] `join_organization`. */
    body: typeof AddMemberSchema | typeof AddSpaceUserSchema;
    schema: Membership;
    answer: (m: MembershipJson, scopeId: string) => z.output<Membership>;
  };
  remove: Text;
}

export function registerScopeRoutes<List extends z.ZodType, Membership extends z.ZodType>(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
  routes: ScopeRoutes<List, Membership>,
) {
  const dd = directoryDeps(deps);
  const { kind, list, add, remove } = routes;
  const scopeId = (id: string) => decodeId(routes.idKind, id);
  const members = `${routes.path}/users`;

  app.openapi(
    createRoute({
      method: "delete",
      path: routes.path,
      tags: ["Directory"],
      summary: routes.delete.summary,
      description: routes.delete.description,
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema, query: DeleteScopeQuerySchema },
      responses: { 204: { description: "Deleted" }, ...changeErrors },
    }),
    async (c) => {
      await deleteScope(dd, {
        kind,
        ...actorOf(c, deps),
        id: scopeId(c.req.valid("param").id),
        force: forceFlag(c.req.valid("query").force),
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: members,
      tags: ["Directory"],
      summary: list.summary,
      description: list.description,
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema, query: PageQuerySchema },
      responses: {
        200: { description: "Members", content: json(list.schema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const dialect = c.get("dialect");
      const page = await listScopeMembers(dd, {
        ...actorOf(c, deps),
        kind,
        id: scopeId(c.req.valid("param").id),
        limit: q.limit,
        cursor: q.cursor,
      });
      const memberships = page.items.map((m) => membershipJson(dialect, m, true));
      return c.json(
        list.answer({ memberships, pagination: paginationJson(page.nextCursor) }, c.req.valid("param").id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: members,
      tags: ["Directory"],
      summary: add.summary,
      description: add.description,
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema, body: { required: true, content: json(add.body) } },
      responses: {
        200: { description: "The membership", content: json(add.schema) },
        ...changeErrors,
        422: grantUnprocessable,
      },
    }),
    async (c) => {
      const body: z.output<typeof AddSpaceUserSchema> = c.req.valid("json");
      const dialect = c.get("dialect");
      const m = await addScopeMember(dd, {
        kind,
        ...actorOf(c, deps),
        scopeId: scopeId(c.req.valid("param").id),
        userId: decodeId("User", body.user_id),
        role: body.role,
        strictGrants: dialect.generation === "D",
        joinOrganization: body.join_organization === true,
      });
      return c.json(add.answer(membershipJson(dialect, m, false), c.req.valid("param").id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: `${members}/{user_id}`,
      tags: ["Directory"],
      summary: remove.summary,
      description: remove.description,
      security: bearer,
      middleware: [auth] as const,
      request: { params: MemberParamsSchema },
      responses: { 204: { description: "Removed" }, ...changeErrors },
    }),
    async (c) => {
      const p = c.req.valid("param");
      await removeScopeMember(dd, {
        kind,
        ...actorOf(c, deps),
        scopeId: scopeId(p.id),
        userId: decodeId("User", p.user_id),
      });
      return c.body(null, 204);
    },
  );
}
