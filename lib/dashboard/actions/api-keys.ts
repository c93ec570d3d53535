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

// Every export here is a public endpoint: each one authenticates (session cookie) and authorizes by
// itself, and the keys API checks everything again.

export async function listApiKeysAction(input: ListApiKeysInput): Promise<ActionResult<ApiKeyList>> {
  const session = await requireSession();
  if (!session) return { ok: false, error: signedOut };
  const parsed = ListApiKeysInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
  const { tab, spaceId, status, search, cursor } = parsed.data;
  if (tab === "service" && !spaceId)
    return { ok: true, data: { api_keys: [], pagination: { has_more: false } } };
  try {
    const { data, error, response } = await keysClient(session).GET("/v2/api-keys", {
      params: {
        query: {
          ...(tab === "service" ? { space_id: spaceId, include: "details" } : {}),
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
    // The API applies the role rules (lib/roles); a refusal comes back with the reason on each field.
    const { data, error, response } = await keysClient(session).POST("/v2/api-keys", {
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
