import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { KeyDeps } from "../../keys/api-keys";
import {
  getApiKey,
  listApiKeyEvents,
  type ApiKeyDetailsView,
  type ApiKeyEventView,
} from "../../keys/key-details";
import { encodeId } from "../../domain/ids";
import { ApiKeyIdParamsSchema, includeValues } from "../../schemas/api-keys";
import {
  ApiKeyDetailsSchema,
  ApiKeyEventListSchema,
  GetApiKeyQuerySchema,
  ListApiKeyEventsQuerySchema,
  type ApiKeyDetailsJson,
} from "../../schemas/api-key-details";
import type { ApiEnv } from "../context";
import { DEFAULT_DIALECT, has, type Dialect } from "../dialect";
import { apiKeyJson, paginationJson } from "../serialize";
import { auditLogJson } from "../serialize-directory";
import { authErrors, bearer, errors, json } from "./common";

const person = (p: { id: string; name: string; email: string | null }) => ({
  id: encodeId("User", p.id),
  name: p.name,
  ...(p.email ? { email: p.email } : {}),
});

/**
 * The list item of the caller's dialect; with `details` (always in the default dialect) also the
 * details, the revocation and the usage. Arize's clients never get fields they did not ask for.
 */
export function apiKeyDetailsJson(key: ApiKeyDetailsView, dialect: Dialect, details: boolean): ApiKeyDetailsJson {
  if (!details) return apiKeyJson({ ...key, details: undefined }, dialect);
  const { usage } = key;
  return {
    ...apiKeyJson(key, dialect),
    ...(key.revokedAt ? { revoked_at: key.revokedAt.toISOString() } : {}),
    ...(key.revokedBy ? { revoked_by: person(key.revokedBy) } : {}),
    ...(key.revocationReason ? { revocation_reason: key.revocationReason } : {}),
    ...(key.refreshedAt ? { refreshed_at: key.refreshedAt.toISOString() } : {}),
    usage: {
      ...(key.lastUsedAt ? { last_used_at: key.lastUsedAt.toISOString() } : {}),
      addresses: usage.addresses.map((a) => ({
        address: a.address,
        first_seen_at: a.firstSeenAt.toISOString(),
        last_seen_at: a.lastSeenAt.toISOString(),
        requests: a.requests,
        ...(a.userAgent ? { user_agent: a.userAgent } : {}),
      })),
      ...(usage.previousSecretLastUsedAt
        ? { previous_secret_last_used_at: usage.previousSecretLastUsedAt.toISOString() }
        : {}),
    },
    ...(has(dialect, "api_key.leak_reports")
      ? {
          leak_reports: key.leakReports.map((r) => ({
            source: r.source,
            url: r.url,
            ...(r.location ? { location: r.location } : {}),
            secret: r.secret,
            outcome: r.outcome,
            reported_at: r.reportedAt.toISOString(),
          })),
        }
      : {}),
  };
}

/** The audit-log item of directory.md, its actor as `user`; the key is the target of every event. */
function apiKeyEventJson(event: ApiKeyEventView) {
  const view = { ...event, actor: null, actorCredential: "", targetType: "api_key", targetId: null, targetName: null };
  const {
    user_id,
    actor: _actor,
    actor_credential: _credential,
    target: _target,
    ...rest
  } = auditLogJson(DEFAULT_DIALECT, view);
  return {
    ...rest,
    ...(event.userId ? { user_id } : {}),
    ...(event.user ? { user: person(event.user) } : {}),
  };
}

/** [ext] One key (`GET /v2/api-keys/{id}`) and its history (`…/events`): lifecycle.md §1. */
export function registerApiKeyDetailRoutes(
  app: OpenAPIHono<ApiEnv>,
  keys: KeyDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/api-keys/{id}",
      tags: ["API keys"],
      summary: "Get an API key",
      description:
        "[ext] One key, for whoever may see it in the list (others: 404). The default dialect gets its details, who revoked it, " +
        "when and why, its last refresh and its usage: the 10 most recent client addresses and, while a refreshed key's " +
        "previous secret is in its grace, when that was last used. Arize's clients get the list item, and all of it with " +
        "`include=details`.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: ApiKeyIdParamsSchema, query: GetApiKeyQuerySchema },
      responses: {
        200: { description: "The key", content: json(ApiKeyDetailsSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const include = includeValues(c.req.valid("query").include) ?? [];
      const dialect = c.get("dialect");
      const key = await getApiKey(keys, { principal: c.get("principal"), keyId: id });
      return c.json(
        apiKeyDetailsJson(key, dialect, dialect.client === null || include.includes("details")),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/api-keys/{id}/events",
      tags: ["API keys"],
      summary: "List an API key's events",
      description:
        "[ext] The audit rows about this key (created, refreshed, revoked, …), newest first, in the audit log's item shape. " +
        "For whoever may see the key in the list (others: 404).",
      security: bearer,
      middleware: [auth] as const,
      request: { params: ApiKeyIdParamsSchema, query: ListApiKeyEventsQuerySchema },
      responses: {
        200: { description: "A page of events", content: json(ApiKeyEventListSchema) },
        ...authErrors,
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const page = await listApiKeyEvents(keys, {
        principal: c.get("principal"),
        keyId: id,
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(
        { events: page.items.map(apiKeyEventJson), pagination: paginationJson(page.nextCursor) },
        200,
      );
    },
  );
}
