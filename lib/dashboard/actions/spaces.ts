"use server";

import { z } from "zod";
import { ActionRefusal, defineAction, expectOk, fromApi, type ActionContext } from "../define-action";
import { getViewer } from "../viewer";
import {
  reshapeScope,
  reshapeScopeMemberPage,
  reshapeScopePage,
  reshapeTree,
  type OrganizationSummary,
  type Page,
  type Scope,
  type ScopeMember,
} from "../../keys-client/reshape";
import {
  AddMemberFormSchema,
  IdSchema,
  NewOrganizationFormSchema,
  NewSpaceFormSchema,
  RenameFormSchema,
  ScopeKindSchema,
  type ScopeKind,
} from "../../schemas/directory-forms";
import { SCOPE_ROLES } from "../../roles/names";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one, and the keys API authorizes every call (directory.md, "Who may change the directory").

type Api = ActionContext["api"];

/** Every page of a list, up to `max` items (the tree and the counts are for one screen). */
async function allPages<T>(fetchPage: (cursor?: string) => Promise<Page<T>>, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

async function getScope(api: Api, kind: ScopeKind, id: string): Promise<Scope> {
  const params = { params: { path: { id } } };
  return reshapeScope(
    kind === "space"
      ? fromApi(await api.GET("/v2/spaces/{id}", params))
      : fromApi(await api.GET("/v2/organizations/{id}", params)),
  );
}

/** Every organization or space the viewer can see (of one organization, with `organizationId`). */
function listScopes(api: Api, kind: ScopeKind, organizationId?: string): Promise<Scope[]> {
  return allPages(async (cursor) => {
    const query = { limit: 100, ...(cursor ? { cursor } : {}) };
    return reshapeScopePage(
      kind === "space"
        ? fromApi(
            await api.GET("/v2/spaces", {
              params: { query: { ...query, ...(organizationId ? { org_id: organizationId } : {}) } },
            }),
          )
        : fromApi(await api.GET("/v2/organizations", { params: { query } })),
    );
  });
}

async function membersPage(api: Api, kind: ScopeKind, id: string, cursor?: string, limit = 50) {
  const params = { params: { path: { id }, query: { limit, ...(cursor ? { cursor } : {}) } } };
  return reshapeScopeMemberPage(
    kind === "space"
      ? fromApi(await api.GET("/v2/spaces/{id}/users", params))
      : fromApi(await api.GET("/v2/organizations/{id}/users", params)),
  );
}

/**
 * The Organizations & Spaces tree: what /v2/me says the viewer reaches (the request's one answer, the
 * page's own), with the lists' descriptions and member counts ([ext] `member_count`): one call per
 * kind of scope, whatever the number of members.
 */
export const directoryTreeAction = defineAction(
  { input: z.undefined() },
  async (_input, { api }): Promise<OrganizationSummary[]> => {
    const viewer = await getViewer();
    if (!viewer)
      throw new ActionRefusal({
        code: "authentication_required",
        message: "Your session has ended. Sign in again.",
      });
    const [organizations, spaces] = await Promise.all([
      listScopes(api, "organization"),
      listScopes(api, "space"),
    ]);
    return reshapeTree(viewer, { organizations, spaces });
  },
);

export const createOrganizationAction = defineAction(
  { input: NewOrganizationFormSchema },
  async ({ name, description }, { api }): Promise<{ id: string }> => {
    const answer = await api.POST("/v2/organizations", {
      body: { name, ...(description ? { description } : {}) },
    });
    return { id: fromApi(answer).id };
  },
);

export const createSpaceAction = defineAction(
  { input: NewSpaceFormSchema },
  async (form, { api }): Promise<{ id: string }> => {
    const answer = await api.POST("/v2/spaces", {
      body: {
        name: form.name,
        organization_id: form.organizationId,
        ...(form.description ? { description: form.description } : {}),
        is_private: form.isPrivate,
      },
    });
    return { id: fromApi(answer).id };
  },
);

const ScopeInputSchema = z.object({ kind: ScopeKindSchema, id: IdSchema }).strict();

/** A space or an organization; the page adds the viewer's roles there (reshapeScopeDetail). */
export const getScopeAction = defineAction(
  { input: ScopeInputSchema },
  async ({ kind, id }, { api }): Promise<Scope> => getScope(api, kind, id),
);

export const listScopeMembersAction = defineAction(
  { input: ScopeInputSchema.extend({ cursor: z.string().max(200).optional() }) },
  async ({ kind, id, cursor }, { api }): Promise<Page<ScopeMember>> => membersPage(api, kind, id, cursor),
);

async function orgMemberIds(api: Api, orgId: string): Promise<string[]> {
  const members = await allPages((cursor) => membersPage(api, "organization", orgId, cursor, 100), 10_000);
  return members.map((m) => m.userId);
}

/** The user ids of an organization's members (for Add member on one of its spaces). */
export const organizationMemberIdsAction = defineAction(
  { input: z.object({ id: IdSchema }).strict() },
  async ({ id }, { api }): Promise<string[]> => orgMemberIds(api, id),
);

async function upsertMember(
  api: Api,
  kind: ScopeKind,
  id: string,
  member: { userId: string; role: string; joinOrganization?: boolean },
) {
  const body = { user_id: member.userId, role: member.role };
  if (kind === "space")
    fromApi(
      await api.POST("/v2/spaces/{id}/users", {
        params: { path: { id } },
        body: member.joinOrganization ? { ...body, join_organization: true } : body,
      }),
    );
  else fromApi(await api.POST("/v2/organizations/{id}/users", { params: { path: { id } }, body }));
}

/**
 * Adds a person to a space or organization, or changes their role there (the API's upsert): one
 * call. For a space, `joinOrganization` lets a person outside its organization join it as Read-Only
 * in the same transaction, as directory.md's Add member offers (a member already keeps their role).
 */
export const addScopeMemberAction = defineAction(
  {
    input: AddMemberFormSchema.extend({
      kind: ScopeKindSchema,
      id: IdSchema,
      /** A space's: join its organization as Read-Only when not a member of it yet. */
      joinOrganization: z.boolean().optional(),
    }).strict(),
  },
  async ({ kind, id, userId, role, joinOrganization }, { api }): Promise<null> => {
    await upsertMember(api, kind, id, { userId, role, joinOrganization });
    return null;
  },
);

export const changeScopeRoleAction = defineAction(
  { input: ScopeInputSchema.extend({ userId: IdSchema, role: z.enum(SCOPE_ROLES) }) },
  async ({ kind, id, userId, role }, { api }): Promise<null> => {
    await upsertMember(api, kind, id, { userId, role });
    return null;
  },
);

export const removeScopeMemberAction = defineAction(
  { input: ScopeInputSchema.extend({ userId: IdSchema }) },
  async ({ kind, id, userId }, { api }): Promise<null> => {
    const params = { params: { path: { id, user_id: userId } } };
    expectOk(
      kind === "space"
        ? await api.DELETE("/v2/spaces/{id}/users/{user_id}", params)
        : await api.DELETE("/v2/organizations/{id}/users/{user_id}", params),
    );
    return null;
  },
);

export const renameScopeAction = defineAction(
  { input: ScopeInputSchema.extend(RenameFormSchema.shape) },
  async ({ kind, id, name }, { api }): Promise<null> => {
    const request = { params: { path: { id } }, body: { name } };
    if (kind === "space") fromApi(await api.PATCH("/v2/spaces/{id}", request));
    else fromApi(await api.PATCH("/v2/organizations/{id}", request));
    return null;
  },
);

/** The active service keys a delete would revoke, by name (the Delete alert names them). */
export const scopeServiceKeysAction = defineAction(
  { input: ScopeInputSchema },
  async ({ kind, id }, { api }): Promise<{ name: string; space: string }[]> => {
    const spaces = kind === "space" ? [await getScope(api, "space", id)] : await listScopes(api, "space", id);
    const keys: { name: string; space: string }[] = [];
    // A key bound to several of the organization's spaces is revoked once: name it once.
    const seen = new Set<string>();
    for (const space of spaces) {
      let cursor: string | undefined;
      do {
        const page = fromApi(
          await api.GET("/v2/api-keys", {
            params: {
              query: { space_id: space.id, status: "active", limit: 100, ...(cursor ? { cursor } : {}) },
            },
          }),
        );
        for (const key of page.api_keys) {
          if (seen.has(key.id)) continue;
          seen.add(key.id);
          keys.push({ name: key.name, space: space.name });
        }
        cursor = page.pagination.has_more ? page.pagination.next_cursor : undefined;
      } while (cursor);
    }
    return keys;
  },
);

/**
 * Deletes a space or an organization, revoking its active service keys (`force=true`) — the person
 * has seen them named in the alert and typed the name to confirm, which is checked here again.
 */
export const deleteScopeAction = defineAction(
  { input: ScopeInputSchema.extend({ confirmName: z.string().max(300) }) },
  async ({ kind, id, confirmName }, { api }): Promise<null> => {
    const scope = await getScope(api, kind, id);
    if (scope.name !== confirmName.trim())
      throw new ActionRefusal({
        code: "invalid_request",
        message: "The name does not match.",
        fieldErrors: { confirmName: `Type ${scope.name} to confirm.` },
      });
    const request = { params: { path: { id }, query: { force: "true" as const } } };
    expectOk(
      kind === "space"
        ? await api.DELETE("/v2/spaces/{id}", request)
        : await api.DELETE("/v2/organizations/{id}", request),
    );
    return null;
  },
);
