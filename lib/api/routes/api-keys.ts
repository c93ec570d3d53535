import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { createApiKey, listApiKeys, refreshApiKey, revokeApiKey, type KeyDeps } from "../../keys/api-keys";
import {
  ApiKeyCreatedSchema,
  ApiKeyIdParamsSchema,
  ApiKeyListSchema,
  CreateApiKeySchema,
  includeValues,
  ListApiKeysQuerySchema,
  RefreshApiKeySchema,
} from "../../schemas/api-keys";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { apiKeyJson, paginationJson } from "../serialize";
import { keysExceedingCreator } from "../../keys/drift";
import { authErrors, bearer, errors } from "./common";

const json = <T>(schema: T) => ({ "application/json": { schema } });

export function registerApiKeyRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  keys: KeyDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  const actor = (c: Context<ApiEnv>) => ({
    principal: c.get("principal"),
    clientAddress: clientAddress(c, deps.config),
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/api-keys",
      tags: ["API keys"],
      summary: "List API keys",
      description:
        "No `space_id` and no `key_type`: your own user keys. `space_id`: that space's service keys (`user_id` then " +
        "filters by creator). `key_type=service` alone: service keys of every space you can access. `user_id` alone: " +
        "that user's user keys (account admins only). Newest first.",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListApiKeysQuerySchema },
      responses: {
        200: { description: "A page of keys", content: json(ApiKeyListSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const include = includeValues(q.include) ?? [];
      const page = await listApiKeys(keys, {
        principal: c.get("principal"),
        keyType: q.key_type,
        status: q.status,
        spaceId: q.space_id,
        userId: q.user_id,
        name: q.name,
        limit: q.limit,
        cursor: q.cursor,
        includeDetails: include.includes("details"),
      });
      // [ext] Opt-in drift marks; without the opt-in the answer keeps its shape.
      const drift = include.includes("exceeds_creator_role")
        ? await keysExceedingCreator(deps.db, page.items)
        : null;
      return c.json(
        {
          api_keys: page.items.map((k) => ({
            ...apiKeyJson(k),
            ...(drift && k.keyType === "service" ? { exceeds_creator_role: drift.has(k.id) } : {}),
          })),
          pagination: paginationJson(page.nextCursor),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/api-keys",
      tags: ["API keys"],
      summary: "Create an API key",
      description:
        "A user key acts as you. A service key acts as a new bot user holding exactly the requested roles in the space, " +
        "its organization and the account — each at most your own. The raw `key` is in this response only.",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateApiKeySchema) } },
      responses: {
        201: { description: "Created; `key` is shown once", content: json(ApiKeyCreatedSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { key, secret } = await createApiKey(keys, {
        ...actor(c),
        name: body.name,
        description: body.description,
        keyType: body.key_type ?? "user",
        expiresAt: body.expires_at,
        spaceId: body.space_id,
        roles: body.roles && {
          spaceRole: body.roles.space_role,
          orgRole: body.roles.org_role,
          accountRole: body.roles.account_role,
        },
      });
      c.header("cache-control", "no-store");
      return c.json({ ...apiKeyJson(key), key: secret }, 201);
    },
  );

  const revokeRoute = (method: "put" | "delete", path: string, summary: string, description: string) =>
    createRoute({
      method,
      path,
      tags: ["API keys"],
      summary,
      description,
      security: bearer,
      middleware: [auth] as const,
      request: { params: ApiKeyIdParamsSchema },
      responses: {
        204: { description: "Revoked (or already revoked)" },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    });

  const revokeHandler = async (c: Context<ApiEnv>, id: string) => {
    await revokeApiKey(keys, { ...actor(c), keyId: id });
    return c.body(null, 204);
  };

  app.openapi(
    revokeRoute(
      "put",
      "/v2/api-keys/{id}/revoke",
      "Revoke an API key",
      "Immediate and irreversible: every secret of the key stops working at once, grace period or not. Idempotent.",
    ),
    (c) => revokeHandler(c, c.req.valid("param").id),
  );
  app.openapi(
    revokeRoute(
      "delete",
      "/v2/api-keys/{id}",
      "Delete an API key",
      "The older clients' verb for revoke; the same effect.",
    ),
    (c) => revokeHandler(c, c.req.valid("param").id),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/api-keys/{id}/refresh",
      tags: ["API keys"],
      summary: "Refresh (rotate) an API key",
      description:
        "A new secret for the same key (same id, name, type, space, roles, bot user). The previous secret keeps working " +
        "until min(now + grace_period_seconds, its old expiry). Refreshing a revoked key is a 409.",
      security: bearer,
      middleware: [auth] as const,
      request: {
        params: ApiKeyIdParamsSchema,
        body: { required: false, content: json(RefreshApiKeySchema) },
      },
      responses: {
        200: { description: "Refreshed; the new `key` is shown once", content: json(ApiKeyCreatedSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const body = c.req.valid("json") ?? {};
      const { key, secret } = await refreshApiKey(keys, {
        ...actor(c),
        keyId: c.req.valid("param").id,
        expiresAt: body.expires_at,
        graceSeconds: body.grace_period_seconds,
      });
      c.header("cache-control", "no-store");
      return c.json({ ...apiKeyJson(key), key: secret }, 200);
    },
  );
}
