/**
 * `/v2/organizations…` and `/v2/spaces…`, written once for both kinds: the list and create of the
 * collection, getting, updating and deleting the scope, and its members (`…/users`). Each resource's
 * file gives its texts, its schemas and how its requests and answers map to the scope's.
 */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { addScopeMember } from "../../directory/scopes/add-scope-member";
import { createScope } from "../../directory/scopes/create-scope";
import { deleteScope } from "../../directory/scopes/delete-scope";
import { getScope } from "../../directory/scopes/get-scope";
import { listScopeMembers } from "../../directory/scopes/list-scope-members";
import { listScopes } from "../../directory/scopes/list-scopes";
import { removeScopeMember } from "../../directory/scopes/remove-scope-member";
import type {
  ListedScopes,
  ScopeFields,
  ScopeKindName,
  ScopeListInput,
  ScopeViews,
} from "../../directory/scopes/scope-kinds";
import { updateScope } from "../../directory/scopes/update-scope";
import { decodeId } from "../../domain/ids";
import {
  type AddMemberSchema,
  type AddSpaceUserSchema,
  type CreateOrganizationSchema,
  type CreateSpaceSchema,
  DeleteScopeQuerySchema,
  type ListOrganizationsQuerySchema,
  type ListSpacesQuerySchema,
  MemberParamsSchema,
  PageQuerySchema,
  ScopeIdParamsSchema,
  type UpdateOrganizationSchema,
  type UpdateSpaceSchema,
} from "../../schemas/directory";
import type { ApiDeps, ApiEnv } from "../context";
import type { Dialect } from "../dialect";
import { membershipJson } from "../serialize-directory";
import { paginationJson } from "../serialize";
import { authErrors, bearer, changeErrors, errors, grantUnprocessable, json } from "./common";
import { actorOf, directoryDeps, forceFlag } from "./support";

type MembershipJson = ReturnType<typeof membershipJson>;

/**
 * A scope's memberships as its member routes answer them: each names the scope by the id the request
 * gave (`organization_id` or `space_id`: `field`).
 */
export function namingScope<F extends "organization_id" | "space_id">(field: F) {
  const scope = (scopeId: string) => ({ [field]: scopeId }) as Record<F, string>;
  return {
    list: <P extends { memberships: MembershipJson[] }>(page: P, scopeId: string) => ({
      ...page,
      memberships: page.memberships.map((m) => ({ ...m, ...scope(scopeId) })),
    }),
    add: ({ id, user_id, role }: MembershipJson, scopeId: string) => ({
      id,
      user_id,
      ...scope(scopeId),
      role,
    }),
  };
}

type Text = { summary: string; description: string };

/** What a new scope is made of: a space's organization, its name, description and visibility. */
interface NewScope {
  organizationId?: string | null;
  name: string;
  description?: string;
  isPrivate?: boolean;
}

/**
 * The request bodies of both kinds, as one type: each kind's own schema is stricter (a space's create
 * requires `organization_id`; an organization's refuses it).
 */
type CreateBody = z.output<typeof CreateOrganizationSchema> & Partial<z.output<typeof CreateSpaceSchema>>;
type UpdateBody = z.output<typeof UpdateOrganizationSchema> & z.output<typeof UpdateSpaceSchema>;
type ListQuery = typeof ListOrganizationsQuerySchema | typeof ListSpacesQuerySchema;

/** The collection's routes (list, create) and the scope's own (get, update): schemas and mappings. */
export interface ScopeResource<K extends ScopeKindName, Entity extends z.ZodType, Listing extends z.ZodType> {
  /** `/v2/organizations`. */
  collection: string;
  /** The scope's schema and its answer in the request's dialect (`organizationJson`, `spaceJson`). */
  entity: {
    schema: Entity;
    json: (dialect: Dialect, view: ScopeViews[K] | ListedScopes[K]) => z.output<Entity>;
  };
  listing: {
    summary: string;
    /** The 200's description. */
    answers: string;
    query: ListQuery;
    schema: Listing;
    /** The list's filters, from its query. */
    input: (query: z.output<typeof ListSpacesQuerySchema>) => Omit<ScopeListInput, "principal">;
    answer: (items: z.output<Entity>[], pagination: ReturnType<typeof paginationJson>) => z.output<Listing>;
  };
  create: Text & { schema: z.ZodType<CreateBody>; input: (body: CreateBody) => NewScope };
  /** `answers`: the 200's description ("The organization"). */
  get: Text & { answers: string };
  update: Text & { schema: z.ZodType<UpdateBody>; input: (body: UpdateBody) => ScopeFields };
}

export interface ScopeRoutes<K extends ScopeKindName, List extends z.ZodType, Membership extends z.ZodType> {
  kind: K;
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

export function registerScopeRoutes<
  K extends ScopeKindName,
  List extends z.ZodType,
  Membership extends z.ZodType,
  Entity extends z.ZodType,
  Listing extends z.ZodType,
>(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
  routes: ScopeRoutes<K, List, Membership> & ScopeResource<K, Entity, Listing>,
) {
  const dd = directoryDeps(deps);
  const { kind, list, add, remove, entity, listing } = routes;
  const scopeId = (id: string) => decodeId(routes.idKind, id);
  const members = `${routes.path}/users`;
  const scope = (description: string) => ({ description, content: json(entity.schema) });

  app.openapi(
    createRoute({
      method: "get",
      path: routes.collection,
      tags: ["Directory"],
      summary: listing.summary,
      security: bearer,
      middleware: [auth] as const,
      request: { query: listing.query },
      responses: { 200: { description: listing.answers, content: json(listing.schema) }, ...authErrors },
    }),
    async (c) => {
      const page = await listScopes(deps.db, {
        kind,
        principal: c.get("principal"),
        ...listing.input(c.req.valid("query")),
      });
      const dialect = c.get("dialect");
      const items = page.items.map((s) => entity.json(dialect, s));
      return c.json(listing.answer(items, paginationJson(page.nextCursor)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: routes.collection,
      tags: ["Directory"],
      summary: routes.create.summary,
      description: routes.create.description,
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(routes.create.schema) } },
      responses: { 201: scope("Created"), ...changeErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const created = await createScope(dd, {
        kind,
        ...actorOf(c, deps),
        ...routes.create.input(body),
        variables: body,
      });
      return c.json(entity.json(c.get("dialect"), created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: routes.path,
      tags: ["Directory"],
      summary: routes.get.summary,
      description: routes.get.description,
      security: bearer,
      middleware: [auth] as const,
      request: { params: ScopeIdParamsSchema },
      responses: { 200: scope(routes.get.answers), ...authErrors, 404: errors[404] },
    }),
    async (c) => {
      const view = await getScope(dd, { ...actorOf(c, deps), kind, id: scopeId(c.req.valid("param").id) });
      return c.json(entity.json(c.get("dialect"), view), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: routes.path,
      tags: ["Directory"],
      summary: routes.update.summary,
      description: routes.update.description,
      security: bearer,
      middleware: [auth] as const,
      request: {
        params: ScopeIdParamsSchema,
        body: { required: true, content: json(routes.update.schema) },
      },
      responses: { 200: scope("Updated"), ...changeErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const updated = await updateScope(dd, {
        kind,
        ...actorOf(c, deps),
        id: scopeId(c.req.valid("param").id),
        ...routes.update.input(body),
        variables: body,
      });
      return c.json(entity.json(c.get("dialect"), updated), 200);
    },
  );

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
