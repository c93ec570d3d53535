"use server";

import { z } from "zod";
import { ActionRefusal, defineAction, expectOk, fromApi, type ActionContext } from "../define-action";
import { parseEntry, parseEntryPage, parseScopeMemberPage, type Entry } from "../directory-support";
import type { OrganizationSummary, Page, ScopeDetail, ScopeMember } from "../directory-types";
import type { Me } from "../../keys-client";
import {
  AddMemberFormSchema,
  IdSchema,
  NewOrganizationFormSchema,
  NewSpaceFormSchema,
  RenameFormSchema,
  SCOPE_ROLE_CHOICES,
  ScopeKindSchema,
  type ScopeKind,
} from "../../schemas/directory-forms";

// Every export here is a public endpoint: defineAction authenticates (session cookie) and validates
// each one, and the keys API authorizes every call (directory.md, "Who may change the directory").

type Api = ActionContext["api"];

function read<T>(value: T | null): T {
  if (value === null)
    throw new ActionRefusal({
      code: "internal_error",
      message: "The keys service answered in a way this page cannot read.",
    });
  return value;
}

async function me(api: Api): Promise<Me> {
  return fromApi(await api.GET("/v2/me"));
}

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

async function getEntry(api: Api, kind: ScopeKind, id: string): Promise<Entry> {
  const params = { params: { path: { id } } };
  const body =
    kind === "space"
      ? fromApi(await api.GET("/v2/spaces/{id}", params))
      : fromApi(await api.GET("/v2/organizations/{id}", params));
  return read(parseEntry(body));
}

async function membersPage(api: Api, kind: ScopeKind, id: string, cursor?: string, limit = 50) {
  const params = { params: { path: { id }, query: { limit, ...(cursor ? { cursor } : {}) } } };
  const body =
    kind === "space"
      ? fromApi(await api.GET("/v2/spaces/{id}/users", params))
      : fromApi(await api.GET("/v2/organizations/{id}/users", params));
  return read(parseScopeMemberPage(body));
}

async function memberCount(api: Api, kind: ScopeKind, id: string): Promise<number | null> {
  try {
    return (await allPages((cursor) => membersPage(api, kind, id, cursor, 100))).length;
  } catch {
    return null; // a count is a detail: the tree shows without it
  }
}

/** The Organizations & Spaces tree: what /v2/me says the viewer reaches, with descriptions and counts. */
export const directoryTreeAction = defineAction(
  { input: z.undefined() },
  async (_input, { api }): Promise<OrganizationSummary[]> => {
    const [viewer, organizations, spaces] = await Promise.all([
      me(api),
      allPages(async (cursor) =>
        read(
          parseEntryPage(
            fromApi(
              await api.GET("/v2/organizations", {
                params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
              }),
            ),
            "organizations",
          ),
        ),
      ),
      allPages(async (cursor) =>
        read(
          parseEntryPage(
            fromApi(
              await api.GET("/v2/spaces", {
                params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
              }),
            ),
            "spaces",
          ),
        ),
      ),
    ]);
    const orgEntry = new Map(organizations.map((o) => [o.id, o]));
    const spaceEntry = new Map(spaces.map((s) => [s.id, s]));
    return Promise.all(
      viewer.organizations.map(async (org): Promise<OrganizationSummary> => {
        const [orgCount, spaceSummaries] = await Promise.all([
          memberCount(api, "organization", org.id),
          Promise.all(
            org.spaces.map(async (space) => ({
              id: space.id,
              name: space.name,
              description: spaceEntry.get(space.id)?.description ?? "",
              isPrivate: spaceEntry.get(space.id)?.isPrivate ?? false,
              role: space.role,
              memberCount: await memberCount(api, "space", space.id),
            })),
          ),
        ]);
        return {
          id: org.id,
          name: org.name,
          description: orgEntry.get(org.id)?.description ?? "",
          role: org.role,
          memberCount: orgCount,
          spaces: spaceSummaries,
        };
      }),
    );
  },
);

export const createOrganizationAction = defineAction(
  { input: NewOrganizationFormSchema },
  async ({ name, description }, { api }): Promise<{ id: string }> => {
    const answer = await api.POST("/v2/organizations", {
      body: { name, ...(description ? { description } : {}) },
    });
    return { id: read(parseEntry(fromApi(answer))).id };
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
    return { id: read(parseEntry(fromApi(answer))).id };
  },
);

const ScopeInputSchema = z.object({ kind: ScopeKindSchema, id: IdSchema }).strict();

function detailFrom(kind: ScopeKind, entry: Entry, viewer: Me): ScopeDetail {
  if (kind === "organization") {
    const org = viewer.organizations.find((o) => o.id === entry.id);
    return { kind, ...entry, isPrivate: false, role: org?.role ?? null, organization: null };
  }
  for (const org of viewer.organizations) {
    const space = org.spaces.find((s) => s.id === entry.id);
    if (space)
      return {
        kind,
        ...entry,
        role: space.role,
        organization: { id: org.id, name: org.name, role: org.role },
      };
  }
  return { kind, ...entry, role: null, organization: null };
}

/** A space's or an organization's page: the entry, and the viewer's role there and above. */
export const scopeDetailAction = defineAction(
  { input: ScopeInputSchema },
  async ({ kind, id }, { api }): Promise<ScopeDetail> => {
    const [viewer, entry] = await Promise.all([me(api), getEntry(api, kind, id)]);
    return detailFrom(kind, entry, viewer);
  },
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

async function upsertMember(api: Api, kind: ScopeKind, id: string, userId: string, role: string) {
  const request = { params: { path: { id } }, body: { user_id: userId, role } };
  if (kind === "space") fromApi(await api.POST("/v2/spaces/{id}/users", request));
  else fromApi(await api.POST("/v2/organizations/{id}/users", request));
}

/**
 * Adds a person to a space or organization, or changes their role there (the API's upsert). For a
 * space, a person who is not yet a member of its organization joins it as Read-Only first, as
 * directory.md's Add member offers — only when they are not a member already, so no role there changes.
 */
export const addScopeMemberAction = defineAction(
  {
    input: AddMemberFormSchema.extend({
      kind: ScopeKindSchema,
      id: IdSchema,
      /** A space's organization, when the person is to join it as Read-Only first. */
      joinOrganizationId: IdSchema.optional(),
    }).strict(),
  },
  async ({ kind, id, userId, role, joinOrganizationId }, { api }): Promise<null> => {
    if (
      kind === "space" &&
      joinOrganizationId &&
      !(await orgMemberIds(api, joinOrganizationId)).includes(userId)
    )
      await upsertMember(api, "organization", joinOrganizationId, userId, "read-only");
    await upsertMember(api, kind, id, userId, role);
    return null;
  },
);

export const changeScopeRoleAction = defineAction(
  { input: ScopeInputSchema.extend({ userId: IdSchema, role: z.enum(SCOPE_ROLE_CHOICES) }) },
  async ({ kind, id, userId, role }, { api }): Promise<null> => {
    await upsertMember(api, kind, id, userId, role);
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
    const spaces =
      kind === "space"
        ? [await getEntry(api, "space", id)]
        : await allPages(async (cursor) =>
            read(
              parseEntryPage(
                fromApi(
                  await api.GET("/v2/spaces", {
                    params: { query: { org_id: id, limit: 100, ...(cursor ? { cursor } : {}) } },
                  }),
                ),
                "spaces",
              ),
            ),
          );
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
    const entry = await getEntry(api, kind, id);
    if (entry.name !== confirmName.trim())
      throw new ActionRefusal({
        code: "invalid_request",
        message: "The name does not match.",
        fieldErrors: { confirmName: `Type ${entry.name} to confirm.` },
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
