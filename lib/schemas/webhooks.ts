import { z } from "zod";
import { cursorQuery, limitQuery, PaginationSchema, textInput, timestamp } from "./common";

/**
 * Arize's webhooks API (lifecycle.md §5), in the shapes of Arize's Python client 8.61
 * (`arize/_generated/api_client/models`: Webhook, CreateWebhookRequest, WebhookSubscription, …).
 */
export const WEBHOOK_AUTH_TYPES = ["BEARER", "HMAC_SHA256"] as const;
export type WebhookAuthType = (typeof WEBHOOK_AUTH_TYPES)[number];

/** [ext] The key events Keydesk delivers. */
export const KEY_EVENT_TYPES = [
  "API_KEY_CREATED",
  "API_KEY_REFRESHED",
  "API_KEY_REVOKED",
  "API_KEY_EXPIRING",
  "API_KEY_EXPIRED",
  "API_KEY_LEAKED",
] as const;
export type KeyEventType = (typeof KEY_EVENT_TYPES)[number];

/** Arize's own events: valid for its clients, but there are no prompts, evaluators or tasks here. */
const ARIZE_EVENT_TYPES = [
  "PROMPT_VERSION_CREATED",
  "PROMPT_VERSION_LABELED",
  "PROMPT_VERSION_UNLABELED",
  "EVALUATOR_VERSION_CREATED",
  "ONLINE_TASK_RUN_FAILED",
] as const;

/** `SPACE` (that space's service keys) and [ext] `ORGANIZATION` (its service keys and its members' user keys). */
const WEBHOOK_SOURCE_TYPES = ["SPACE", "ORGANIZATION"] as const;
export type WebhookSourceType = (typeof WEBHOOK_SOURCE_TYPES)[number];
const ARIZE_SOURCE_TYPES = ["PROMPT", "EVALUATOR", "ONLINE_TASK"] as const;

/** What Arize's 8.61 client can parse; anything else is [ext] and left out of its lists. */
export const ARIZE_KNOWN_SOURCE_TYPES: readonly string[] = ["SPACE", ...ARIZE_SOURCE_TYPES];
export const ARIZE_KNOWN_EVENT_TYPES: readonly string[] = ARIZE_EVENT_TYPES;

const MIN_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_HEADERS = 20;
const MAX_WEBHOOK_NAME = 255;

const upper = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toUpperCase() : value),
    z.enum(values, { error: () => `${what} must be one of: ${values.join(", ")}.` }),
  );

/** Connection-management headers a delivery sets itself, and the ones that carry its signature. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "connection",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
  "expect",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

const headersInput = z
  .record(z.string(), textInput().max(2000, "A header value has at most 2000 characters."))
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS)
      ctx.addIssue({ code: "custom", message: `At most ${MAX_HEADERS} headers.` });
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(lower) || lower.startsWith("x-arize-webhook-"))
        ctx.addIssue({ code: "custom", message: `\`${name}\` cannot be a custom header.`, path: [name] });
    }
  })
  .meta({ description: "Custom headers sent with each delivery (at most 20). Write-only." });

export const webhookNameSchema = textInput({ error: "Give the webhook a name." })
  .trim()
  .min(1, "Give the webhook a name.")
  .max(MAX_WEBHOOK_NAME, `A name has at most ${MAX_WEBHOOK_NAME} characters.`);

export const webhookUrlSchema = textInput({ error: "Give the URL events are sent to." })
  .trim()
  .min(1, "Give the URL events are sent to.")
  .max(2000, "A URL has at most 2000 characters.")
  .refine((value) => URL.canParse(value), "Enter a full URL, e.g. https://hooks.example.com/keydesk.");

const timeoutInput = z
  .number({ error: "`timeout_ms` must be a whole number of milliseconds." })
  .int("`timeout_ms` must be a whole number of milliseconds.")
  .min(MIN_TIMEOUT_MS, `\`timeout_ms\` must be from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}.`)
  .max(MAX_TIMEOUT_MS, `\`timeout_ms\` must be from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}.`);

const authTokenInput = textInput().min(1, "The token cannot be empty.").max(4000);

/** `null` from a client means "not given". */
const nullable = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

export const CreateWebhookSchema = z
  .object({
    organization_id: z.string().max(200).meta({ description: "The organization that owns the webhook." }),
    name: webhookNameSchema,
    url: webhookUrlSchema,
    description: nullable(textInput().max(1000)),
    auth_type: nullable(upper(WEBHOOK_AUTH_TYPES, "`auth_type`")).meta({
      description:
        "`BEARER` (default): `auth_token` is sent verbatim as `Authorization`. `HMAC_SHA256`: deliveries are signed " +
        "with a `whsec_…` secret returned once, in this call's answer.",
    }),
    auth_token: nullable(authTokenInput).meta({ description: "BEARER only. Write-only." }),
    timeout_ms: nullable(timeoutInput),
    headers: nullable(headersInput),
  })
  .meta({ id: "CreateWebhookRequest" });

export const UpdateWebhookSchema = z
  .object({
    name: nullable(webhookNameSchema),
    // `null` clears the description, so it is not read as "not given".
    description: textInput().max(1000).nullable().optional(),
    url: nullable(webhookUrlSchema),
    auth_token: nullable(authTokenInput),
    timeout_ms: nullable(timeoutInput),
    headers: nullable(headersInput),
  })
  .meta({ id: "UpdateWebhookRequest" });

export const WebhookSchema = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    name: z.string(),
    description: z.string(),
    url: z.string(),
    auth_type: z.enum(WEBHOOK_AUTH_TYPES),
    signing_secret_hint: z.string().optional(),
    timeout_ms: z.number().int(),
    created_at: timestamp(),
    updated_at: timestamp(),
    created_by_user_id: z.string().optional(),
  })
  .meta({
    id: "Webhook",
    description: "Credentials (token, header values, signing secret) are never returned.",
  });
export type WebhookJson = z.infer<typeof WebhookSchema>;

export const CreateWebhookResponseSchema = WebhookSchema.extend({
  signing_secret: z.string().optional().meta({ description: "HMAC_SHA256 only, and only in this answer." }),
}).meta({ id: "CreateWebhookResponse" });

export const WebhookListSchema = z
  .object({ webhooks: z.array(WebhookSchema), pagination: PaginationSchema })
  .meta({ id: "ListWebhooksResponse" });

export const ListWebhooksQuerySchema = z.object({
  org_id: z.string().max(200).optional().meta({ description: "Only this organization's webhooks." }),
  name: textInput()
    .max(MAX_WEBHOOK_NAME)
    .optional()
    .meta({ description: "Case-insensitive substring of the name." }),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const WebhookIdParamsSchema = z.object({ webhook_id: z.string().max(200) });

export const TestWebhookResponseSchema = z
  .object({
    status_code: z.number().int().meta({ description: "The endpoint's status; 502 when no response came." }),
    error_message: z.string().nullable(),
  })
  .meta({ id: "TestWebhookResponse" });

const WebhookDeliveryAttemptSchema = z
  .object({
    event_id: z.string(),
    attempt_number: z.number().int(),
    payload: z.record(z.string(), z.unknown()),
    status_code: z.number().int().nullable(),
    error_message: z.string().nullable(),
    created_at: timestamp(),
    duration_ms: z.number().int().optional().meta({ description: "[ext] How long the attempt took." }),
    event_type: z.string().optional().meta({ description: "[ext] The event's type." }),
  })
  .meta({ id: "WebhookDeliveryAttempt" });

export const WebhookDeliveryAttemptListSchema = z
  .object({ delivery_attempts: z.array(WebhookDeliveryAttemptSchema), pagination: PaginationSchema })
  .meta({ id: "ListWebhookDeliveryAttemptsResponse" });

export const PageQuerySchema = z.object({ limit: limitQuery, cursor: cursorQuery });

export const CreateWebhookSubscriptionSchema = z
  .object({
    webhook_id: z.string().max(200),
    source_type: upper([...WEBHOOK_SOURCE_TYPES, ...ARIZE_SOURCE_TYPES], "`source_type`"),
    source_id: z.string().max(200),
    event: upper([...KEY_EVENT_TYPES, ...ARIZE_EVENT_TYPES], "`event`"),
  })
  .meta({ id: "CreateWebhookSubscriptionRequest" });

export const WebhookSubscriptionSchema = z
  .object({
    id: z.string(),
    webhook_id: z.string(),
    source_type: z.string().meta({ enum: [...WEBHOOK_SOURCE_TYPES] }),
    source_id: z.string(),
    event: z.string().meta({ enum: [...KEY_EVENT_TYPES] }),
    created_at: timestamp(),
  })
  .meta({ id: "WebhookSubscription" });
export type WebhookSubscriptionJson = z.infer<typeof WebhookSubscriptionSchema>;

export const WebhookSubscriptionListSchema = z
  .object({ subscriptions: z.array(WebhookSubscriptionSchema), pagination: PaginationSchema })
  .meta({ id: "ListWebhookSubscriptionsResponse" });

export const ListWebhookSubscriptionsQuerySchema = z.object({
  source_type: nullable(upper(WEBHOOK_SOURCE_TYPES, "`source_type`")),
  source_id: z.string().max(200).optional(),
  webhook_id: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "[ext] Only this webhook's subscriptions." }),
  limit: limitQuery,
  cursor: cursorQuery,
});

export const SubscriptionIdParamsSchema = z.object({ subscription_id: z.string().max(200) });
