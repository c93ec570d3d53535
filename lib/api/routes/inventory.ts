import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { KeyDeps } from "../../keys/api-keys";
import { listAccountKeys, revokeApiKeys } from "../../keys/inventory";
import { invalid } from "../../domain/errors";
import type { ListApiKeysQuerySchema } from "../../schemas/api-keys";
import { RevokeApiKeysResultSchema, RevokeApiKeysSchema } from "../../schemas/inventory";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import { apiKeyJson, paginationJson } from "../serialize";
import { authErrors, bearer, errors, json } from "./common";

type ListQuery = z.output<typeof ListApiKeysQuerySchema>;

/** The inventory's own filters make sense with `scope=account` only; the other lists refuse them. */
export function assertInventoryFilters(q: ListQuery): void {
  if (q.scope === "account") {
    if (q.space_id !== undefined)
      throw invalid("`scope=account` lists every space; leave out `space_id`.", "space_id");
    if (q.user_id !== undefined)
      throw invalid("With `scope=account`, filter by `owner_id`, not `user_id`.", "user_id");
    return;
  }
  if (q.exceeds_policy) throw invalid("`exceeds_policy` needs `scope=account`.", "exceeds_policy");
  for (const field of ["owner_id", "expires_before", "unused_since"] as const)
    if (q[field] !== undefined) throw invalid(`\`${field}\` needs \`scope=account\`.`, field);
}

/** `GET /v2/api-keys?scope=account` [ext]: every key in the account (lifecycle.md §4). */
export async function accountKeysJson(c: Context<ApiEnv>, keys: KeyDeps, q: ListQuery) {
  const page = await listAccountKeys(keys, {
    principal: c.get("principal"),
    keyType: q.key_type,
    status: q.status,
    ownerId: q.owner_id,
    expiresBefore: q.expires_before,
    unusedSince: q.unused_since,
    exceedsPolicy: q.exceeds_policy,
    name: q.name,
    limit: q.limit,
    cursor: q.cursor,
  });
  const dialect = c.get("dialect");
  return {
    api_keys: page.items.map((k) => ({
      ...apiKeyJson(k, dialect),
      ...(k.spaceName !== null ? { space_name: k.spaceName } : {}),
    })),
    pagination: paginationJson(page.nextCursor),
  };
}

export function registerInventoryRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  keys: KeyDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/api-keys/revoke",
      tags: ["API keys"],
      summary: "Revoke several API keys",
      description:
        "[ext] Revokes up to 500 keys in one transaction, each by the rules of revoking one key, with one audit row per " +
        "key; every secret of each stops working at once. Keys already revoked are skipped and not counted. If any id " +
        "is one you may not revoke (403) or cannot see (404), nothing is revoked.",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(RevokeApiKeysSchema) } },
      responses: {
        200: { description: "Revoked", content: json(RevokeApiKeysResultSchema) },
        ...authErrors,
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const { ids } = c.req.valid("json");
      const result = await revokeApiKeys(keys, {
        principal: c.get("principal"),
        clientAddress: clientAddress(c, deps.config),
        ids,
      });
      return c.json(result, 200);
    },
  );
}
