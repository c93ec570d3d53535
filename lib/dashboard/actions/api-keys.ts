"use server";

import type { ActionResult } from "../action-result";
import { invalidInput, problemToError, requireSession, signedOut, unreachable } from "../action-support";
import { keysClient, type ApiKeyCreated, type ApiKeyList } from "../../keys-client";
import {
  ApiKeyIdInputSchema,
  ListApiKeysInputSchema,
  type ListApiKeysInput,
} from "../../schemas/api-key-forms";
import { CreateApiKeySchema, RefreshApiKeySchema } from "../../schemas/api-keys";
import { clampReason, spaceContext } from "../../schemas/roles";

// Every export here is a public endpoint: each one authenticates (session cookie) and authorizes by
// itself, and the keys API checks everything again.

export async function listApiKeysAction(input: ListApiKeysInput): Promise<ActionResult<ApiKeyList>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ListApiKeysInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { tab, spaceId, status, search, cursor } = parsed.data;
  try {
    const { data, error, response } = await keysClient(session).GET("/v2/api-keys", {
      params: {
        query: {
          // Service Keys without a space: every space the viewer can see. Details (roles, creator, space,
          // grace_until) on both tabs.
          ...(tab === "service" ? (spaceId ? { space_id: spaceId } : { key_type: "service" }) : {}),
          include: "details",
          status,
          limit: 25,
          ...(search ? { name: search } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    });
    return data ? { ok: true, data } : { ok: false, error: problemToError(response.status, error) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

/** Takes the API's own create body, validated by the API's own schema. */
export async function createApiKeyAction(body: unknown): Promise<ActionResult<ApiKeyCreated>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = CreateApiKeySchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const input = parsed.data;
  try {
    const client = keysClient(session);
    if (input.key_type === "service") {
      // Authorize here too: never ask the API for more than the viewer holds.
      const me = await client.GET("/v2/me");
      if (!me.data) return { ok: false, error: problemToError(me.response.status, me.error) };
      const context = input.space_id ? spaceContext(me.data, input.space_id) : null;
      if (!context)
        return {
          ok: false,
          error: { code: "not_found", message: "That space does not exist or you cannot access it." },
        };
      if (context.space.role === "read-only") {
        return {
          ok: false,
          error: { code: "forbidden", message: "Read-only members can't create service keys" },
        };
      }
      const checks = [
        ["space_role", clampReason("space", input.roles?.space_role ?? "member", me.data, context)],
        ["org_role", clampReason("org", input.roles?.org_role ?? "read-only", me.data, context)],
        ["account_role", clampReason("account", input.roles?.account_role ?? "member", me.data, context)],
      ] as const;
      const refused = checks.filter(([, reason]) => reason !== null);
      if (refused.length > 0) {
        return {
          ok: false,
          error: {
            code: "forbidden",
            message: "A role is above your own.",
            fieldErrors: Object.fromEntries(
              refused.map(([field, reason]) => [`roles.${field}`, reason ?? ""]),
            ),
          },
        };
      }
    }
    const { data, error, response } = await client.POST("/v2/api-keys", {
      body: {
        name: input.name,
        ...(input.description ? { description: input.description } : {}),
        key_type: input.key_type ?? "user",
        ...(input.expires_at ? { expires_at: input.expires_at.toISOString() } : {}),
        ...(input.key_type === "service" ? { space_id: input.space_id, roles: input.roles } : {}),
      },
    });
    return data ? { ok: true, data } : { ok: false, error: problemToError(response.status, error) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function refreshApiKeyAction(input: {
  id: string;
  body: unknown;
}): Promise<ActionResult<ApiKeyCreated>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const id = ApiKeyIdInputSchema.safeParse({ id: input?.id });
  const body = RefreshApiKeySchema.safeParse(input?.body ?? {});
  if (!id.success) return { ok: false, error: invalidInput(id.error) };
  if (!body.success) return { ok: false, error: invalidInput(body.error) };
  try {
    const { data, error, response } = await keysClient(session).POST("/v2/api-keys/{id}/refresh", {
      params: { path: { id: id.data.id } },
      body: {
        ...(body.data.expires_at ? { expires_at: body.data.expires_at.toISOString() } : {}),
        ...(body.data.grace_period_seconds ? { grace_period_seconds: body.data.grace_period_seconds } : {}),
      },
    });
    return data ? { ok: true, data } : { ok: false, error: problemToError(response.status, error) };
  } catch {
    return { ok: false, error: unreachable };
  }
}

export async function revokeApiKeyAction(input: { id: string }): Promise<ActionResult<null>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const id = ApiKeyIdInputSchema.safeParse(input);
  if (!id.success) return { ok: false, error: invalidInput(id.error) };
  try {
    const { error, response } = await keysClient(session).PUT("/v2/api-keys/{id}/revoke", {
      params: { path: { id: id.data.id } },
    });
    return response.status === 204
      ? { ok: true, data: null }
      : { ok: false, error: problemToError(response.status, error) };
  } catch {
    return { ok: false, error: unreachable };
  }
}
