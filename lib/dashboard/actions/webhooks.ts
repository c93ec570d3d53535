"use server";

import { z } from "zod";
import { defineAction, fromApi } from "../define-action";
import { NewWebhookFormSchema } from "../../schemas/webhook-forms";

// Every export here is a public endpoint: defineAction authenticates and validates each one, and the
// keys API authorizes every call (only organization admins manage webhooks).

const IdSchema = z.object({ id: z.string().min(1).max(200) });

/** One delivery attempt as the page shows it (not its payload). */
export interface WebhookAttemptRow {
  eventId: string;
  eventType: string | null;
  attemptNumber: number;
  statusCode: number | null;
  errorMessage: string | null;
  createdAt: string;
}

export interface WebhookRow {
  id: string;
  organizationId: string;
  name: string;
  url: string;
  authType: "BEARER" | "HMAC_SHA256";
  signingSecretHint: string | null;
  recent: WebhookAttemptRow[];
}

/** The viewer's webhooks (up to 100), each with its five most recent delivery attempts. */
export const listWebhooksAction = defineAction({ input: z.object({}) }, async (_input, { api }) => {
  const page = fromApi(await api.GET("/v2/webhooks", { params: { query: { limit: 100 } } }));
  return Promise.all(
    page.webhooks.map(async (w): Promise<WebhookRow> => {
      const attempts = fromApi(
        await api.GET("/v2/webhooks/{webhook_id}/delivery-attempts", {
          params: { path: { webhook_id: w.id }, query: { limit: 5 } },
        }),
      );
      return {
        id: w.id,
        organizationId: w.organization_id,
        name: w.name,
        url: w.url,
        authType: w.auth_type,
        signingSecretHint: w.signing_secret_hint ?? null,
        recent: attempts.delivery_attempts.map((a) => ({
          eventId: a.event_id,
          eventType: a.event_type ?? null,
          attemptNumber: a.attempt_number,
          statusCode: a.status_code,
          errorMessage: a.error_message,
          createdAt: a.created_at,
        })),
      };
    }),
  );
});

/**
 * Creates the webhook and subscribes it to the chosen key events of its organization. If a
 * subscription is refused, the webhook is deleted again, so a failed dialog leaves nothing behind.
 * The signing secret (HMAC) is returned once, for the reveal dialog; it is never cached.
 */
export const createWebhookAction = defineAction({ input: NewWebhookFormSchema }, async (form, { api }) => {
  const created = fromApi(
    await api.POST("/v2/webhooks", {
      body: {
        organization_id: form.organizationId,
        name: form.name,
        url: form.url,
        auth_type: form.authType,
        ...(form.authType === "BEARER" && form.authToken ? { auth_token: form.authToken } : {}),
      },
    }),
  );
  try {
    for (const event of form.events) {
      fromApi(
        await api.POST("/v2/webhook-subscriptions", {
          body: {
            webhook_id: created.id,
            source_type: "ORGANIZATION",
            source_id: form.organizationId,
            event,
          },
        }),
      );
    }
  } catch (err) {
    await api.DELETE("/v2/webhooks/{webhook_id}", { params: { path: { webhook_id: created.id } } });
    throw err;
  }
  return { id: created.id, name: created.name, signingSecret: created.signing_secret ?? null };
});

/** Sends a test event now; the endpoint's status (502: no answer) and error. */
export const testWebhookAction = defineAction({ input: IdSchema }, async ({ id }, { api }) => {
  const outcome = fromApi(
    await api.POST("/v2/webhooks/{webhook_id}/test", { params: { path: { webhook_id: id } } }),
  );
  return { statusCode: outcome.status_code, errorMessage: outcome.error_message };
});
