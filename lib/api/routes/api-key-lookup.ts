import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { KeyDeps } from "../../keys/api-keys";
import { lookupApiKey } from "../../keys/lookup";
import { notFound, rateLimited } from "../../domain/errors";
import { includeValues } from "../../schemas/api-keys";
import { GetApiKeyQuerySchema } from "../../schemas/api-key-details";
import { LookupApiKeyResultSchema, LookupApiKeySchema } from "../../schemas/api-key-lookup";
import { clientAddress } from "../client-address";
import type { ApiConfig, ApiEnv } from "../context";
import type { FailureThrottle } from "../failure-throttle";
import { authErrors, bearer, errors, json } from "./common";
import { apiKeyDetailsJson } from "./api-key-details";

/** One text for "no such key" and "a key you may not see", so neither can be told from the other. */
const NO_VISIBLE_MATCH = "No key you can see matches.";

/** [ext] Check a key (`POST /v2/api-keys/lookup`): lifecycle.md §6. */
export function registerApiKeyLookupRoutes(
  app: OpenAPIHono<ApiEnv>,
  keys: KeyDeps,
  auth: MiddlewareHandler<ApiEnv>,
  throttle: { failures: FailureThrottle; config: ApiConfig },
) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/api-keys/lookup",
      tags: ["API keys"],
      summary: "Check a key",
      description:
        "[ext] Which key a raw secret belongs to: the key as `GET /v2/api-keys/{id}` gives it, plus `matched` " +
        "(`current`, or `previous` for the secret a refresh replaced while in its grace). Whitespace and line breaks " +
        "around the key are ignored. Only for a caller who may see that key; for everyone else a real key and a random " +
        "string get the same 404, and count as a failed credential check (too many from one address: 429). Every " +
        "check writes an audit row `api_key.lookup`.",
      security: bearer,
      middleware: [auth] as const,
      request: {
        query: GetApiKeyQuerySchema,
        body: { required: true, content: json(LookupApiKeySchema) },
      },
      responses: {
        200: { description: "The key", content: json(LookupApiKeyResultSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const include = includeValues(c.req.valid("query").include) ?? [];
      const dialect = c.get("dialect");
      const address = clientAddress(c, throttle.config);
      const found = await lookupApiKey(keys, {
        principal: c.get("principal"),
        key: c.req.valid("json").key,
        clientAddress: address,
      });
      c.header("cache-control", "no-store");
      if (!found) {
        // A miss is a failed credential check, counted with bad bearer credentials from that address.
        const wait = throttle.failures.fail(address ?? "unknown");
        if (wait !== null) throw rateLimited(wait);
        throw notFound(NO_VISIBLE_MATCH);
      }
      return c.json(
        {
          ...apiKeyDetailsJson(found.key, dialect, dialect.client === null || include.includes("details")),
          matched: found.matched,
        },
        200,
      );
    },
  );
}
