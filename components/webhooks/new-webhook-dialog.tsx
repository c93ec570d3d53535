"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm, useWatch } from "react-hook-form";
import { ActionFailure } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { createWebhookAction } from "@/lib/dashboard/actions/webhooks";
import { KEY_EVENT_LABEL, NewWebhookFormSchema, type NewWebhookForm } from "@/lib/schemas/webhook-forms";
import { webhookQueries } from "./queries";

/** The API's field names → the form's. */
const FIELD_FROM_API: Record<string, keyof NewWebhookForm> = {
  name: "name",
  url: "url",
  organization_id: "organizationId",
  auth_token: "authToken",
  auth_type: "authType",
};

const EVENTS = Object.keys(KEY_EVENT_LABEL) as NewWebhookForm["events"];

/** New webhook: name, URL, organization, authentication and the key events it hears of. */
export function NewWebhookDialog({
  organizations,
  open,
  onOpenChange,
  onCreated,
}: {
  /** The organizations the viewer administers. */
  organizations: { id: string; name: string }[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The signing secret (HMAC) goes to the reveal dialog from here, never into a cache. */
  onCreated: (webhook: { name: string; signingSecret: string | null }) => void;
}) {
  const form = useForm<NewWebhookForm>({
    resolver: zodResolver(NewWebhookFormSchema),
    defaultValues: {
      name: "",
      url: "",
      organizationId: organizations[0]?.id ?? "",
      authType: "HMAC_SHA256",
      authToken: "",
      events: ["API_KEY_CREATED", "API_KEY_REVOKED", "API_KEY_EXPIRING", "API_KEY_LEAKED"],
    },
  });
  const errors = form.formState.errors;
  const authType = useWatch({ control: form.control, name: "authType" });
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: async (values: NewWebhookForm) => {
      const result = await createWebhookAction(values);
      if (!result.ok) throw new ActionFailure(result.error);
      onCreated({ name: result.data.name, signingSecret: result.data.signingSecret });
      return result.data.name;
    },
    onSuccess: () => {
      onOpenChange(false);
      void queryClient.invalidateQueries({ queryKey: webhookQueries.all });
    },
    onError: (error) => {
      const failure = error instanceof ActionFailure ? error.error : null;
      let placed = false;
      for (const [apiField, message] of Object.entries(failure?.fieldErrors ?? {})) {
        const field = FIELD_FROM_API[apiField];
        if (field) {
          form.setError(field, { message });
          placed = true;
        }
      }
      if (!placed)
        form.setError("root", {
          message: failure?.message ?? "The webhook could not be created. Try again.",
        });
    },
  });

  return (
    <Dialog open={open} onOpenChange={(next) => (create.isPending ? undefined : onOpenChange(next))}>
      <DialogContent
        title="New webhook"
        description="Keydesk posts the key events you choose to this URL, signed or with your token."
      >
        <form
          onSubmit={form.handleSubmit((values) => create.mutate(values))}
          noValidate
          className="space-y-4"
        >
          <Field id="webhook-name" label="Name" error={errors.name?.message}>
            <input
              {...form.register("name")}
              {...describedBy("webhook-name", errors.name?.message)}
              className={inputClass}
              autoComplete="off"
            />
          </Field>
          <Field
            id="webhook-url"
            label="URL"
            hint="An https:// address your service listens on."
            error={errors.url?.message}
          >
            <input
              {...form.register("url")}
              {...describedBy("webhook-url", errors.url?.message, "hint")}
              type="url"
              inputMode="url"
              placeholder="https://hooks.example.com/keydesk"
              className={inputClass}
              autoComplete="off"
            />
          </Field>
          <Field id="webhook-organization" label="Organization" error={errors.organizationId?.message}>
            <Select
              {...form.register("organizationId")}
              {...describedBy("webhook-organization", errors.organizationId?.message)}
            >
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id="webhook-auth"
            label="Authentication"
            hint={
              authType === "HMAC_SHA256"
                ? "Each delivery is signed; the secret is shown once, after you create the webhook."
                : "Sent as the Authorization header of each delivery, exactly as you write it."
            }
          >
            <Select {...form.register("authType")} {...describedBy("webhook-auth", undefined, "hint")}>
              <option value="HMAC_SHA256">HMAC signature (recommended)</option>
              <option value="BEARER">Bearer token</option>
            </Select>
          </Field>
          {authType === "BEARER" ? (
            <Field id="webhook-token" label="Authorization header" error={errors.authToken?.message}>
              <input
                {...form.register("authToken")}
                {...describedBy("webhook-token", errors.authToken?.message)}
                type="password"
                placeholder="Bearer …"
                className={inputClass}
                autoComplete="off"
              />
            </Field>
          ) : null}
          <fieldset
            className="space-y-2"
            aria-describedby={errors.events ? "webhook-events-error" : undefined}
            aria-invalid={errors.events ? true : undefined}
          >
            <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Events</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {EVENTS.map((event) => (
                <label
                  key={event}
                  className="flex items-center gap-2 text-sm text-slate-800 dark:text-slate-200"
                >
                  <input
                    type="checkbox"
                    value={event}
                    {...form.register("events")}
                    className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  />
                  {KEY_EVENT_LABEL[event]}
                </label>
              ))}
            </div>
            {errors.events ? (
              <p id="webhook-events-error" className="text-sm text-red-600 dark:text-red-400">
                {errors.events.message}
              </p>
            ) : null}
          </fieldset>
          <FormError message={errors.root?.message} />
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create webhook"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
