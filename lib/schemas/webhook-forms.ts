import { z } from "zod";
import { textInput } from "./common";
import { KEY_EVENT_TYPES, WEBHOOK_AUTH_TYPES, webhookNameSchema, webhookUrlSchema } from "./webhooks";

/** What each key event is, for the New webhook dialog's checkboxes. */
export const KEY_EVENT_LABEL: Record<(typeof KEY_EVENT_TYPES)[number], string> = {
  API_KEY_CREATED: "Key created",
  API_KEY_REFRESHED: "Key refreshed",
  API_KEY_REVOKED: "Key revoked",
  API_KEY_EXPIRING: "Key expiring soon",
  API_KEY_EXPIRED: "Key expired",
  API_KEY_LEAKED: "Key leaked",
};

/** The New webhook dialog: the API's own field rules, plus the events it subscribes the organization to. */
export const NewWebhookFormSchema = z.object({
  name: webhookNameSchema,
  url: webhookUrlSchema,
  organizationId: z.string().min(1, "Choose an organization.").max(200),
  authType: z.enum(WEBHOOK_AUTH_TYPES),
  authToken: textInput().max(4000, "A token has at most 4000 characters."),
  events: z.array(z.enum(KEY_EVENT_TYPES)).min(1, "Choose at least one event."),
});
export type NewWebhookForm = z.infer<typeof NewWebhookFormSchema>;
