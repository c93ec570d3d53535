"use server";

import { z } from "zod";
import type { ActionError, ActionResult } from "../action-result";
import { invalidInput, problemToError, requireSession, signedOut, unreachable } from "../action-support";
import { parseEntry, parseEntryPage, parseScopeMemberPage, type Entry } from "../directory-support";
import type { OrganizationSummary, Page, ScopeDetail, ScopeMember } from "../directory-types";
import { keysClient, type Me } from "../../keys-client";
import { directoryCall, type ApiAnswer } from "../../keys-client/directory";
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

// Every export here is a public endpoint: each one authenticates (session cookie) and validates by
// itself, and the keys API authorizes every call (directory.md, "Who may change the directory").

type Session = NonNullable<Awaited<ReturnType<typeof requireSession>>>;

const unexpected: ActionError = {
  code: "error",
  message: "The keys service answered in a way this page cannot read.",
};

const base = (kind: ScopeKind) => (kind === "space" ? "/v2/spaces" : "/v2/organizations");
const scopePath = (kind: ScopeKind, id: string) => `${base(kind)}/${encodeURIComponent(id)}`;

async function me(session: Session): Promise<Me | ActionError> {
  const { data, error, response } = await keysClient(session).GET("/v2/me");
  return data ?? problemToError(response.status, error);
}

/** Every page of a list, up to `max` items (the tree and the counts are for one screen). */
async function allPages<T>(
  fetchPage: (cursor?: string) => Promise<ApiAnswer>,
  parse: (body: unknown) => Page<T> | null,
  max = 500,
): Promise<{ items: T[]; complete: boolean } | ActionError> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await fetchPage(cursor);
    if (answer.status !== 200) return problemToError(answer.status, answer.body);
    const page = parse(answer.body);
    if (!page) return unexpected;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items, complete: cursor === undefined };
}

const isError = (value: unknown): value is ActionError =>
  typeof value === "object" && value !== null && "code" in value && "message" in value;

async function memberCount(session: Session, kind: ScopeKind, id: string): Promise<number | null> {
  const result = await allPages(
    (cursor) =>
      directoryCall(session, "GET", `${scopePath(kind, id)}/users`, { query: { limit: 100, cursor } }),
    parseScopeMemberPage,
  );
  return isError(result) ? null : result.items.length;
}

/** The Organizations & Spaces tree: what /v2/me says the viewer reaches, with descriptions and counts. */
export async function directoryTreeAction(): Promise<ActionResult<OrganizationSummary[]>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  try {
    const [viewer, organizations, spaces] = await Promise.all([
      me(session),
      allPages(
        (cursor) => directoryCall(session, "GET", "/v2/organizations", { query: { limit: 100, cursor } }),
        (body) => parseEntryPage(body, "organizations"),
      ),
      allPages(
        (cursor) => directoryCall(session, "GET", "/v2/spaces", { query: { limit: 100, cursor } }),
        (body) => parseEntryPage(body, "spaces"),
      ),
    ]);
    if (isError(viewer)) return { ok: false, error: viewer };
    if (isError(organizations)) return { ok: false, error: organizations };
    if (isError(spaces)) return { ok: false, error: spaces };
    const orgEntry = new Map(organizations.items.map((o) => [o.id, o]));
    const spaceEntry = new Map(spaces.items.map((s) => [s.id, s]));
    const tree = await Promise.all(
      viewer.organizations.map(async (org): Promise<OrganizationSummary> => {
        const [orgCount, spaceSummaries] = await Promise.all([
          memberCount(session, "organization", org.id),
          Promise.all(
            org.spaces.map(async (space) => ({
              id: space.id,
              name: space.name,
              description: spaceEntry.get(space.id)?.description ?? "",
              isPrivate: spaceEntry.get(space.id)?.isPrivate ?? false,
              role: space.role,
              memberCount: await memberCount(session, "space", space.id),
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
    return { ok: true, data: tree };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function createOrganizationAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = NewOrganizationFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { status, body } = await directoryCall(session, "POST", "/v2/organizations", {
      body: {
        name: parsed.data.name,
        ...(parsed.data.description ? { description: parsed.data.description } : {}),
      },
    });
    if (status !== 201) return { ok: false, error: problemToError(status, body) };
    const entry = parseEntry(body);
    return entry ? { ok: true, data: { id: entry.id } } : { ok: false, error: unexpected };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function createSpaceAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = NewSpaceFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const form = parsed.data;
  try {
    const { status, body } = await directoryCall(session, "POST", "/v2/spaces", {
      body: {
        name: form.name,
        organization_id: form.organizationId,
        ...(form.description ? { description: form.description } : {}),
        is_private: form.isPrivate,
      },
    });
    if (status !== 201) return { ok: false, error: problemToError(status, body) };
    const entry = parseEntry(body);
    return entry ? { ok: true, data: { id: entry.id } } : { ok: false, error: unexpected };
  } catch {
    return { ok: false, error: unreachable };
  }
}

const ScopeInputSchema = z.object({ kind: ScopeKindSchema, id: IdSchema }).strict();

/** A space's or an organization's page: the entry, and the viewer's role there and above. */
export async function scopeDetailAction(input: {
  kind: ScopeKind;
  id: string;
}): Promise<ActionResult<ScopeDetail>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ScopeInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { kind, id } = parsed.data;
  try {
    const [viewer, answer] = await Promise.all([
      me(session),
      directoryCall(session, "GET", scopePath(kind, id)),
    ]);
    if (isError(viewer)) return { ok: false, error: viewer };
    if (answer.status !== 200) return { ok: false, error: problemToError(answer.status, answer.body) };
    const entry = parseEntry(answer.body);
    if (!entry) return { ok: false, error: unexpected };
    return { ok: true, data: detailFrom(kind, entry, viewer) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

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

export async function listScopeMembersAction(input: {
  kind: ScopeKind;
  id: string;
  cursor?: string;
}): Promise<ActionResult<Page<ScopeMember>>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ScopeInputSchema.extend({ cursor: z.string().max(200).optional() }).safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const { kind, id, cursor } = parsed.data;
    const { status, body } = await directoryCall(session, "GET", `${scopePath(kind, id)}/users`, {
      query: { limit: 50, cursor },
    });
    if (status !== 200) return { ok: false, error: problemToError(status, body) };
    const page = parseScopeMemberPage(body);
    return page ? { ok: true, data: page } : { ok: false, error: unexpected };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/** The user ids of an organization's members (for Add member on one of its spaces). */
export async function organizationMemberIdsAction(input: { id: string }): Promise<ActionResult<string[]>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = z.object({ id: IdSchema }).strict().safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  try {
    const result = await orgMemberIds(session, parsed.data.id);
    return isError(result) ? { ok: false, error: result } : { ok: true, data: result };
  } catch {
    return { ok: false, error: unreachable };
  }
}

async function orgMemberIds(session: Session, orgId: string): Promise<string[] | ActionError> {
  const result = await allPages(
    (cursor) =>
      directoryCall(session, "GET", `${scopePath("organization", orgId)}/users`, {
        query: { limit: 100, cursor },
      }),
    parseScopeMemberPage,
    10_000,
  );
  return isError(result) ? result : result.items.map((m) => m.userId);
}

const AddMemberInputSchema = AddMemberFormSchema.extend({
  kind: ScopeKindSchema,
  id: IdSchema,
  /** A space's organization, when the person is to join it as Read-Only first. */
  joinOrganizationId: IdSchema.optional(),
}).strict();

/**
 * Adds a person to a space or organization, or changes their role there (the API's upsert). For a
 * space, a person who is not yet a member of its organization joins it as Read-Only first, as
 * directory.md's Add member offers — only when they are not a member already, so no role there changes.
 */
export async function addScopeMemberAction(
  input: z.input<typeof AddMemberInputSchema>,
): Promise<ActionResult<null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = AddMemberInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { kind, id, userId, role, joinOrganizationId } = parsed.data;
  try {
    if (kind === "space" && joinOrganizationId) {
      const members = await orgMemberIds(session, joinOrganizationId);
      if (isError(members)) return { ok: false, error: members };
      if (!members.includes(userId)) {
        const joined = await directoryCall(
          session,
          "POST",
          `${scopePath("organization", joinOrganizationId)}/users`,
          {
            body: { user_id: userId, role: "read-only" },
          },
        );
        if (joined.status !== 200 && joined.status !== 201)
          return { ok: false, error: problemToError(joined.status, joined.body) };
      }
    }
    const { status, body } = await directoryCall(session, "POST", `${scopePath(kind, id)}/users`, {
      body: { user_id: userId, role },
    });
    return status === 200 || status === 201
      ? { ok: true, data: null }
      : { ok: false, error: problemToError(status, body) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function changeScopeRoleAction(input: {
  kind: ScopeKind;
  id: string;
  userId: string;
  role: string;
}): Promise<ActionResult<null>> {
  const parsed = ScopeInputSchema.extend({ userId: IdSchema, role: z.enum(SCOPE_ROLE_CHOICES) }).safeParse(
    input,
  );
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  return addScopeMemberAction(parsed.data);
}

export async function removeScopeMemberAction(input: {
  kind: ScopeKind;
  id: string;
  userId: string;
}): Promise<ActionResult<null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ScopeInputSchema.extend({ userId: IdSchema }).safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { kind, id, userId } = parsed.data;
  try {
    const { status, body } = await directoryCall(
      session,
      "DELETE",
      `${scopePath(kind, id)}/users/${encodeURIComponent(userId)}`,
    );
    return status === 204 || status === 200
      ? { ok: true, data: null }
      : { ok: false, error: problemToError(status, body) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function renameScopeAction(input: {
  kind: ScopeKind;
  id: string;
  name: string;
}): Promise<ActionResult<null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ScopeInputSchema.extend(RenameFormSchema.shape).safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { kind, id, name } = parsed.data;
  try {
    const { status, body } = await directoryCall(session, "PATCH", scopePath(kind, id), { body: { name } });
    return status === 200 ? { ok: true, data: null } : { ok: false, error: problemToError(status, body) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/** The active service keys a delete would revoke, by name (the Delete alert names them). */
export async function scopeServiceKeysAction(input: {
  kind: ScopeKind;
  id: string;
}): Promise<ActionResult<{ name: string; space: string }[]>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ScopeInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { kind, id } = parsed.data;
  try {
    let spaces: { id: string; name: string }[];
    if (kind === "space") {
      const answer = await directoryCall(session, "GET", scopePath("space", id));
      const entry = answer.status === 200 ? parseEntry(answer.body) : null;
      if (!entry) return { ok: false, error: problemToError(answer.status, answer.body) };
      spaces = [entry];
    } else {
      const list = await allPages(
        (cursor) =>
          directoryCall(session, "GET", "/v2/spaces", { query: { org_id: id, limit: 100, cursor } }),
        (body) => parseEntryPage(body, "spaces"),
      );
      if (isError(list)) return { ok: false, error: list };
      spaces = list.items;
    }
    const client = keysClient(session);
    const keys: { name: string; space: string }[] = [];
    for (const space of spaces) {
      let cursor: string | undefined;
      do {
        const { data, error, response } = await client.GET("/v2/api-keys", {
          params: {
            query: { space_id: space.id, status: "active", limit: 100, ...(cursor ? { cursor } : {}) },
          },
        });
        if (!data) return { ok: false, error: problemToError(response.status, error) };
        keys.push(...data.api_keys.map((k) => ({ name: k.name, space: space.name })));
        cursor = data.pagination.has_more ? data.pagination.next_cursor : undefined;
      } while (cursor);
    }
    return { ok: true, data: keys };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/**
 * Deletes a space or an organization, revoking its active service keys (`force=true`) — the person
 * has seen them named in the alert and typed the name to confirm, which is checked here again.
 */
export async function deleteScopeAction(input: {
  kind: ScopeKind;
  id: string;
  confirmName: string;
}): Promise<ActionResult<null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ScopeInputSchema.extend({ confirmName: z.string().max(300) }).safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { kind, id, confirmName } = parsed.data;
  try {
    const answer = await directoryCall(session, "GET", scopePath(kind, id));
    const entry = answer.status === 200 ? parseEntry(answer.body) : null;
    if (!entry) return { ok: false, error: problemToError(answer.status, answer.body) };
    if (entry.name !== confirmName.trim())
      return {
        ok: false,
        error: {
          code: "invalid",
          message: "The name does not match.",
          fieldErrors: { confirmName: `Type ${entry.name} to confirm.` },
        },
      };
    const { status, body } = await directoryCall(session, "DELETE", scopePath(kind, id), {
      query: { force: "true" },
    });
    return status === 204 || status === 200
      ? { ok: true, data: null }
      : { ok: false, error: problemToError(status, body) };
  } catch {
    return { ok: false, error: unreachable };
  }
}
