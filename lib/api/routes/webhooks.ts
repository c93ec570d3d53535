import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { encodeId } from "../../domain/ids";
import type { WebhookDeps } from "../../webhooks/context";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  type SubscriptionView,
} from "../../webhooks/subscriptions";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveryAttempts,
  listWebhooks,
  testWebhook,
  updateWebhook,
  type DeliveryAttemptView,
  type WebhookView,
} from "../../webhooks/webhooks";
import {
  CreateWebhookResponseSchema,
  CreateWebhookSchema,
  CreateWebhookSubscriptionSchema,
  ListWebhooksQuerySchema,
  ListWebhookSubscriptionsQuerySchema,
  PageQuerySchema,
  SubscriptionIdParamsSchema,
  TestWebhookResponseSchema,
  UpdateWebhookSchema,
  WebhookDeliveryAttemptListSchema,
  WebhookIdParamsSchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookSubscriptionListSchema,
  WebhookSubscriptionSchema,
  type WebhookJson,
  type WebhookSubscriptionJson,
} from "../../schemas/webhooks";
import { clientAddress } from "../client-address";
import type { ApiDeps, ApiEnv } from "../context";
import type { Dialect } from "../dialect";
import { paginationJson } from "../serialize";
import { authErrors, bearer, errors, json } from "./common";

const TAGS = ["Webhooks"];

function webhookJson(w: WebhookView): WebhookJson {
  return {
    id: encodeId("Webhook", w.id),
    organization_id: encodeId("Organization", w.organizationId),
    name: w.name,
    description: w.description,
    url: w.url,
    auth_type: w.authType,
    ...(w.signingSecretHint ? { signing_secret_hint: w.signingSecretHint } : {}),
    timeout_ms: w.timeoutMs,
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
    ...(w.createdByUserId ? { created_by_user_id: encodeId("User", w.createdByUserId) } : {}),
  };
}

function subscriptionJson(s: SubscriptionView): WebhookSubscriptionJson {
  return {
    id: encodeId("WebhookSubscription", s.id),
    webhook_id: encodeId("Webhook", s.webhookId),
    source_type: s.sourceType,
    source_id: encodeId(s.sourceType === "SPACE" ? "Space" : "Organization", s.sourceId),
    event: s.event,
    created_at: s.createdAt.toISOString(),
  };
}

/** [ext] fields (duration, event type) for Keydesk's own callers; Arize's clients get their shape. */
function attemptJson(a: DeliveryAttemptView, dialect: Dialect) {
  return {
    event_id: encodeId("WebhookEvent", a.eventId),
    attempt_number: a.attemptNumber,
    payload: a.payload,
    status_code: a.statusCode,
    error_message: a.errorMessage,
    created_at: a.createdAt.toISOString(),
    ...(dialect.client ? {} : { duration_ms: a.durationMs, event_type: a.eventType }),
  };
}

export function registerWebhookRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  webhookDeps: WebhookDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  const actor = (c: Context<ApiEnv>) => ({
    principal: c.get("principal"),
    clientAddress: clientAddress(c, deps.config),
  });
  const manageErrors = { ...authErrors, 403: errors[403], 404: errors[404] };

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/webhooks",
      tags: TAGS,
      summary: "List webhooks",
      description:
        "The webhooks of every organization you administer (account admins: all), newest first. `org_id` narrows " +
        "to one organization; `name` is a case-insensitive substring.",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListWebhooksQuerySchema },
      responses: {
        200: { description: "A page of webhooks", content: json(WebhookListSchema) },
        ...manageErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await listWebhooks(webhookDeps, {
        principal: c.get("principal"),
        organizationId: q.org_id,
        name: q.name,
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(
        { webhooks: page.items.map(webhookJson), pagination: paginationJson(page.nextCursor) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/webhooks",
      tags: TAGS,
      summary: "Create a webhook",
      description:
        "Organization admins (and account admins). `https://` URLs only, and never a loopback, private, link-local or " +
        "metadata address (unless the server allows them). For `HMAC_SHA256` the answer carries `signing_secret`, " +
        "this once.",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateWebhookSchema) } },
      responses: {
        201: { description: "Created", content: json(CreateWebhookResponseSchema) },
        ...manageErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { webhook, signingSecret } = await createWebhook(webhookDeps, {
        ...actor(c),
        organizationId: body.organization_id,
        name: body.name,
        url: body.url,
        description: body.description,
        authType: body.auth_type,
        authToken: body.auth_token,
        timeoutMs: body.timeout_ms,
        headers: body.headers,
      });
      c.header("cache-control", "no-store");
      return c.json(
        { ...webhookJson(webhook), ...(signingSecret ? { signing_secret: signingSecret } : {}) },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/webhooks/{webhook_id}",
      tags: TAGS,
      summary: "Get a webhook",
      security: bearer,
      middleware: [auth] as const,
      request: { params: WebhookIdParamsSchema },
      responses: { 200: { description: "The webhook", content: json(WebhookSchema) }, ...manageErrors },
    }),
    async (c) =>
      c.json(
        webhookJson(
          await getWebhook(webhookDeps, { ...actor(c), webhookId: c.req.valid("param").webhook_id }),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v2/webhooks/{webhook_id}",
      tags: TAGS,
      summary: "Update a webhook",
      description: "Only the fields given change. `auth_type` and the signing secret cannot change.",
      security: bearer,
      middleware: [auth] as const,
      request: {
        params: WebhookIdParamsSchema,
        body: { required: true, content: json(UpdateWebhookSchema) },
      },
      responses: {
        200: { description: "The updated webhook", content: json(WebhookSchema) },
        ...manageErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const webhook = await updateWebhook(webhookDeps, {
        ...actor(c),
        webhookId: c.req.valid("param").webhook_id,
        name: body.name,
        description: body.description,
        url: body.url,
        authToken: body.auth_token,
        timeoutMs: body.timeout_ms,
        headers: body.headers,
      });
      return c.json(webhookJson(webhook), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/webhooks/{webhook_id}",
      tags: TAGS,
      summary: "Delete a webhook",
      description: "With its subscriptions and queued deliveries.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: WebhookIdParamsSchema },
      responses: { 204: { description: "Deleted" }, ...manageErrors },
    }),
    async (c) => {
      await deleteWebhook(webhookDeps, { ...actor(c), webhookId: c.req.valid("param").webhook_id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/webhooks/{webhook_id}/test",
      tags: TAGS,
      summary: "Send a test event",
      description:
        "Sends a `WEBHOOK_TEST` event now (signed like any other) and answers with the endpoint's outcome: its status, " +
        "or 502 when no answer came. Recorded among the delivery attempts; not retried.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: WebhookIdParamsSchema },
      responses: {
        200: { description: "The outcome", content: json(TestWebhookResponseSchema) },
        ...manageErrors,
      },
    }),
    async (c) => {
      const outcome = await testWebhook(webhookDeps, {
        ...actor(c),
        webhookId: c.req.valid("param").webhook_id,
      });
      return c.json({ status_code: outcome.statusCode, error_message: outcome.errorMessage }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/webhooks/{webhook_id}/delivery-attempts",
      tags: TAGS,
      summary: "List a webhook's delivery attempts",
      description:
        "Most recent first; an event retried has one attempt per try, all with its one `event_id`.",
      security: bearer,
      middleware: [auth] as const,
      request: { params: WebhookIdParamsSchema, query: PageQuerySchema },
      responses: {
        200: { description: "A page of attempts", content: json(WebhookDeliveryAttemptListSchema) },
        ...manageErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await listDeliveryAttempts(webhookDeps, {
        ...actor(c),
        webhookId: c.req.valid("param").webhook_id,
        limit: q.limit,
        cursor: q.cursor,
      });
      const dialect = c.get("dialect");
      return c.json(
        {
          delivery_attempts: page.items.map((a) => attemptJson(a, dialect)),
          pagination: paginationJson(page.nextCursor),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/webhook-subscriptions",
      tags: TAGS,
      summary: "List webhook subscriptions",
      description:
        "Of the webhooks you manage, newest first. Key events and `ORGANIZATION` sources are [ext]: Arize's clients " +
        "(by their `sdk-*` headers) do not get them in this list, as their enums would refuse them.",
      security: bearer,
      middleware: [auth] as const,
      request: { query: ListWebhookSubscriptionsQuerySchema },
      responses: {
        200: { description: "A page of subscriptions", content: json(WebhookSubscriptionListSchema) },
        ...manageErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await listSubscriptions(webhookDeps, {
        principal: c.get("principal"),
        sourceType: q.source_type,
        sourceId: q.source_id,
        webhookId: q.webhook_id,
        limit: q.limit,
        cursor: q.cursor,
        arizeValuesOnly: c.get("dialect").client !== null,
      });
      return c.json(
        { subscriptions: page.items.map(subscriptionJson), pagination: paginationJson(page.nextCursor) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/webhook-subscriptions",
      tags: TAGS,
      summary: "Subscribe a webhook to an event",
      description:
        "[ext] Key events (`API_KEY_CREATED`, `API_KEY_REFRESHED`, `API_KEY_REVOKED`, `API_KEY_EXPIRING`, " +
        "`API_KEY_EXPIRED`, `API_KEY_LEAKED`) on a `SPACE` (its service keys) or an `ORGANIZATION` (its service keys and " +
        "its members' user keys) of the webhook's organization. Arize's prompt, evaluator and task sources: 422.",
      security: bearer,
      middleware: [auth] as const,
      request: { body: { required: true, content: json(CreateWebhookSubscriptionSchema) } },
      responses: {
        201: { description: "Subscribed", content: json(WebhookSubscriptionSchema) },
        ...manageErrors,
        409: errors[409],
        422: errors[422],
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const subscription = await createSubscription(webhookDeps, {
        ...actor(c),
        webhookId: body.webhook_id,
        sourceType: body.source_type,
        sourceId: body.source_id,
        event: body.event,
      });
      return c.json(subscriptionJson(subscription), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/webhook-subscriptions/{subscription_id}",
      tags: TAGS,
      summary: "Get a webhook subscription",
      security: bearer,
      middleware: [auth] as const,
      request: { params: SubscriptionIdParamsSchema },
      responses: {
        200: { description: "The subscription", content: json(WebhookSubscriptionSchema) },
        ...manageErrors,
      },
    }),
    async (c) =>
      c.json(
        subscriptionJson(
          await getSubscription(webhookDeps, {
            ...actor(c),
            subscriptionId: c.req.valid("param").subscription_id,
          }),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/webhook-subscriptions/{subscription_id}",
      tags: TAGS,
      summary: "Delete a webhook subscription",
      security: bearer,
      middleware: [auth] as const,
      request: { params: SubscriptionIdParamsSchema },
      responses: { 204: { description: "Deleted" }, ...manageErrors },
    }),
    async (c) => {
      await deleteSubscription(webhookDeps, {
        ...actor(c),
        subscriptionId: c.req.valid("param").subscription_id,
      });
      return c.body(null, 204);
    },
  );
}
