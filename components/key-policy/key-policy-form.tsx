"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
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
  keyPolicyFormErrors,
  LEAK_ACTION_LABEL,
  LEAK_ACTIONS,
  type KeyPolicyForm as KeyPolicyFormValues,
  type KeyPolicyJson,
} from "@/lib/schemas/key-policy-rules";
import { keyPolicyQuery } from "./queries";

type FormField = keyof KeyPolicyFormValues;
type FormErrors = Partial<Record<FormField | "root", string>>;

/** The API's field → the form's. */
const FIELD_FROM_API: Record<string, FormField> = {
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
const WARNING_HINT =
  "Up to five numbers, e.g. 30, 7, 1. Owners (and a service key's space admins) get an email at each.";
const LEAK_HINT = "A key reported as leaked (for example by GitHub secret scanning).";

/**
 * The key policy: editable for account admins, read-only with the reason for everyone else. Plain
 * state and the API's own rules and messages (lib/schemas/key-policy-rules.ts), not react-hook-form
 * and zod: those would take this page's first load over its budget (160 KiB gzip; measured 194 KiB
 * with both, 162 KiB with react-hook-form alone).
 */
export function KeyPolicyForm({
  policy,
  readOnlyReason,
}: {
  policy: KeyPolicyJson;
  readOnlyReason: string | null;
}) {
  const readOnly = readOnlyReason !== null;
  const [values, setValues] = useState<KeyPolicyFormValues>(() => keyPolicyForm(policy));
  const [errors, setErrors] = useState<FormErrors>({});
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async (form: KeyPolicyFormValues) => {
      const result = await updateKeyPolicyAction(keyPolicyBody(form));
      if (!result.ok) throw new ActionFailure(result.error);
      return result.data;
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(keyPolicyQuery.queryKey, saved);
      setValues(keyPolicyForm(saved));
      toast("Key policy saved.", { action: "key-policy" });
    },
    onError: (error) => {
      const failure = error instanceof ActionFailure ? error.error : null;
      const placed: FormErrors = {};
      for (const [apiField, message] of Object.entries(failure?.fieldErrors ?? {})) {
        const field = FIELD_FROM_API[apiField.replace(/\.\d+$/, "")];
        if (field) placed[field] = message;
      }
      setErrors(
        Object.keys(placed).length > 0
          ? placed
          : { root: failure?.message ?? "The policy could not be saved. Try again." },
      );
    },
  });

  const set = (field: FormField) => (value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined, root: undefined }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = keyPolicyFormErrors(values);
    const [first] = Object.keys(found);
    if (first) {
      setErrors(found);
      document.getElementById(first)?.focus();
      return;
    }
    setErrors({});
    save.mutate(values);
  };

  return (
    <form
      onSubmit={onSubmit}
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
          {DAY_FIELDS.map((field) => (
            <Field
              key={field.name}
              id={field.name}
              label={field.label}
              hint={field.hint}
              error={errors[field.name]}
            >
              <input
                type="number"
                inputMode="numeric"
                min={1}
                step={1}
                name={field.name}
                value={values[field.name]}
                onChange={(e) => set(field.name)(e.target.value)}
                {...describedBy(field.name, errors[field.name], field.hint)}
                className={inputClass}
              />
            </Field>
          ))}
        </div>
        <Field
          id="warningDays"
          label="Warn before expiry (days)"
          hint={WARNING_HINT}
          error={errors.warningDays}
        >
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            name="warningDays"
            value={values.warningDays}
            onChange={(e) => set("warningDays")(e.target.value)}
            {...describedBy("warningDays", errors.warningDays, WARNING_HINT)}
            className={inputClass}
          />
        </Field>
        <Field id="leakAction" label="When a key leaks" hint={LEAK_HINT} error={errors.leakAction}>
          <Select
            name="leakAction"
            value={values.leakAction}
            onChange={(e) => set("leakAction")(e.target.value)}
            {...describedBy("leakAction", errors.leakAction, LEAK_HINT)}
          >
            {LEAK_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {LEAK_ACTION_LABEL[action]}
              </option>
            ))}
          </Select>
        </Field>
      </fieldset>
      <FormError message={errors.root} />
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
