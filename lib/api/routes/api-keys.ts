import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { createApiKey, listApiKeys, refreshApiKey, revokeApiKey, type KeyDeps } from "../../keys/api-keys";
import {
  type CreateApiKeyBody,
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
import { accountRoleFromRequest, scopeRoleFromRequest } from "../role-input";
import { listedBotUsers } from "../listed-bot-users";
import { apiKeyCreatedJson, apiKeyJson, paginationJson } from "../serialize";
import { keysExceedingCreator } from "../../keys/drift";
import { authErrors, bearer, errors, json } from "./common";
import { accountKeysJson, assertInventoryFilters } from "./inventory";

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
        "that user's user keys (account admins only). [ext] `scope=account`: every key in the account (account admins " +
        "only). Newest first.",
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
      assertInventoryFilters(q);
      if (q.scope === "account") return c.json(await accountKeysJson(c, keys, q), 200);
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
      const dialect = c.get("dialect");
      const bots = await listedBotUsers(deps.db, page.items, dialect);
      return c.json(
        {
          api_keys: page.items.map((k) => ({
            ...apiKeyJson(k, dialect),
            ...(drift && k.keyType === "service" ? { exceeds_creator_role: drift.has(k.id) } : {}),
            ...(bots?.has(k.id) ? { bot_user: bots.get(k.id) } : {}),
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
        "its organization and the account — each at most your own. The raw `key` is in this response only.\n\n" +
        "Arize's generation D clients (`sdk-version` TypeScript ≥ 1.27, Python ≥ 8.41, Go ≥ 0.19) send `organizations` " +
        "(several organizations and spaces, roles as `{type, name}` objects) and `account_role` instead of `space_id` and " +
        "`roles`, and get `bot_user` back; any client may send either body. A role above your own is a 400 (422 for " +
        "generation D). Custom roles and ANNOTATOR: 422, not supported by this server.",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateApiKeySchema) } },
      responses: {
        201: { description: "Created; `key` is shown once", content: json(ApiKeyCreatedSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
        422: errors[422],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const dialect = c.get("dialect");
      const { key, secret, grants } = await createApiKey(keys, {
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
        assignment: assignmentFromBody(body),
        aboveCap: dialect.generation === "D" ? "unprocessable" : "invalid",
      });
      c.header("cache-control", "no-store");
      return c.json(apiKeyCreatedJson(key, secret, dialect, grants), 201);
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
        "until min(now + grace_period_seconds, its old expiry). Refreshing a revoked key is a 409. For Arize's " +
        "generation C/D clients a refresh may not lengthen the key's life: a key with an expiry needs an `expires_at` " +
        "no later than it (422 otherwise).",
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
        422: errors[422],
      },
    }),
    async (c) => {
      const body = c.req.valid("json") ?? {};
      const dialect = c.get("dialect");
      const { key, secret } = await refreshApiKey(keys, {
        ...actor(c),
        keyId: c.req.valid("param").id,
        expiresAt: body.expires_at,
        graceSeconds: body.grace_period_seconds,
        noLongerLife: dialect.generation === "C" || dialect.generation === "D",
      });
      c.header("cache-control", "no-store");
      return c.json(apiKeyCreatedJson(key, secret, dialect), 200);
    },
  );
}

/** Generation D's `organizations` + `account_role`, with role objects turned into this server's roles. */
function assignmentFromBody(body: CreateApiKeyBody) {
  if (!body.organizations) return undefined;
  return {
    accountRole: body.account_role && accountRoleFromRequest(body.account_role, "account_role"),
    organizations: body.organizations.map((o, i) => ({
      orgId: o.org_id,
      role: o.role && scopeRoleFromRequest(o.role, `organizations.${i}.role`),
      spaces: o.spaces.map((sp, j) => ({
        spaceId: sp.space_id,
        role: sp.role && scopeRoleFromRequest(sp.role, `organizations.${i}.spaces.${j}.role`),
      })),
    })),
  };
}
