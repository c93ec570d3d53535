"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { ActionFailure } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { updateKeyPolicyAction } from "@/lib/dashboard/actions/key-policy";
import {
  keyPolicyBody,
  keyPolicyForm,
  KeyPolicyFormSchema,
  LEAK_ACTION_LABEL,
  LEAK_ACTIONS,
  type KeyPolicyForm as KeyPolicyFormValues,
  type KeyPolicyJson,
} from "@/lib/schemas/key-policy";
import { keyPolicyQuery } from "./queries";

/** The API's field → the form's. */
const FIELD_FROM_API: Record<string, keyof KeyPolicyFormValues> = {
  "max_lifetime_days.user": "maxUser",
  "max_lifetime_days.service": "maxService",
  "default_lifetime_days.user": "defaultUser",
  "default_lifetime_days.service": "defaultService",
  warning_days: "warningDays",
  leak_action: "leakAction",
};

const DAY_FIELDS = [
  { name: "maxUser", label: "Longest user key (days)", hint: "Empty: user keys may live forever." },
  { name: "maxService", label: "Longest service key (days)", hint: "Empty: service keys may live forever." },
  { name: "defaultUser", label: "Default user key (days)", hint: "Preselected in New API Key. Empty: none." },
  {
    name: "defaultService",
    label: "Default service key (days)",
    hint: "Preselected in New API Key. Empty: none.",
  },
] as const;

/** The key policy: editable for account admins, read-only with the reason for everyone else. */
export function KeyPolicyForm({
  policy,
  readOnlyReason,
}: {
  policy: KeyPolicyJson;
  readOnlyReason: string | null;
}) {
  const readOnly = readOnlyReason !== null;
  const form = useForm<KeyPolicyFormValues>({
    resolver: zodResolver(KeyPolicyFormSchema),
    defaultValues: keyPolicyForm(policy),
  });
  const { errors } = form.formState;
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async (values: KeyPolicyFormValues) => {
      const result = await updateKeyPolicyAction(keyPolicyBody(values));
      if (!result.ok) throw new ActionFailure(result.error);
      return result.data;
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(keyPolicyQuery.queryKey, saved);
      form.reset(keyPolicyForm(saved));
      toast("Key policy saved.", { action: "key-policy" });
    },
    onError: (error) => {
      const failure = error instanceof ActionFailure ? error.error : null;
      let placed = false;
      for (const [apiField, message] of Object.entries(failure?.fieldErrors ?? {})) {
        const field = FIELD_FROM_API[apiField.replace(/\.\d+$/, "")];
        if (field) {
          form.setError(field, { message });
          placed = true;
        }
      }
      if (!placed)
        form.setError("root", { message: failure?.message ?? "The policy could not be saved. Try again." });
    },
  });

  return (
    <form
      onSubmit={form.handleSubmit((values) => save.mutate(values))}
      noValidate
      className="max-w-2xl space-y-6 rounded-lg border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      {readOnly ? (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          {readOnlyReason}
        </p>
      ) : null}
      <fieldset disabled={readOnly || save.isPending} className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-2">
          {DAY_FIELDS.map((field) => {
            const error = errors[field.name]?.message;
            return (
              <Field key={field.name} id={field.name} label={field.label} hint={field.hint} error={error}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  step={1}
                  {...form.register(field.name)}
                  {...describedBy(field.name, error, field.hint)}
                  className={inputClass}
                />
              </Field>
            );
          })}
        </div>
        <Field
          id="warningDays"
          label="Warn before expiry (days)"
          hint="Up to five numbers, e.g. 30, 7, 1. Owners (and a service key's space admins) get an email at each."
          error={errors.warningDays?.message}
        >
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            {...form.register("warningDays")}
            {...describedBy(
              "warningDays",
              errors.warningDays?.message,
              "Up to five numbers, e.g. 30, 7, 1. Owners (and a service key's space admins) get an email at each.",
            )}
            className={inputClass}
          />
        </Field>
        <Field
          id="leakAction"
          label="When a key leaks"
          hint="A key reported as leaked (for example by GitHub secret scanning)."
          error={errors.leakAction?.message}
        >
          <Select
            {...form.register("leakAction")}
            {...describedBy(
              "leakAction",
              errors.leakAction?.message,
              "A key reported as leaked (for example by GitHub secret scanning).",
            )}
          >
            {LEAK_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {LEAK_ACTION_LABEL[action]}
              </option>
            ))}
          </Select>
        </Field>
      </fieldset>
      <FormError message={errors.root?.message} />
      {readOnly ? null : (
        <div className="flex justify-end">
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        </div>
      )}
    </form>
  );
}
