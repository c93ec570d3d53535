"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { refreshApiKeyAction } from "@/lib/dashboard/actions/api-keys";
import {
  expiresAtFor,
  GRACE_CHOICES,
  RefreshApiKeyFormSchema,
  type RefreshApiKeyForm,
} from "@/lib/schemas/api-key-forms";
import { ExpirationFields } from "./expiration-fields";
import { ActionFailure, apiKeyQueries } from "./queries";
import type { ApiKeyRow, IssuedKey } from "./types";
import { FormError } from "@/components/ui/form-error";

const DEFAULTS: RefreshApiKeyForm = { expiration: "never", expirationDate: "", graceSeconds: 0 };

export function RefreshKeyDialog({
  target,
  onClose,
  onIssued,
}: {
  target: ApiKeyRow | null;
  onClose: () => void;
  onIssued: (secret: string, key: IssuedKey) => void;
}) {
  const form = useForm<RefreshApiKeyForm>({
    resolver: zodResolver(RefreshApiKeyFormSchema),
    defaultValues: DEFAULTS,
  });
  const expiration = useWatch({ control: form.control, name: "expiration" });
  useEffect(() => {
    if (target) form.reset(DEFAULTS);
  }, [target, form]);

  const queryClient = useQueryClient();
  const refresh = useMutation({
    mutationFn: async (values: RefreshApiKeyForm) => {
      if (!target) throw new Error("No key to refresh.");
      const result = await refreshApiKeyAction({
        id: target.id,
        body: {
          ...(values.expiration !== "never"
            ? { expires_at: expiresAtFor(values.expiration, values.expirationDate) }
            : {}),
          grace_period_seconds: Number(values.graceSeconds),
        },
      });
      if (!result.ok) throw new ActionFailure(result.error);
      const { key: secret, ...issued } = result.data;
      onIssued(secret, issued);
      return issued;
    },
    onSuccess: () => {
      onClose();
      void queryClient.invalidateQueries({ queryKey: apiKeyQueries.all });
    },
    onError: (error) =>
      form.setError("root", {
        message:
          error instanceof ActionFailure ? error.message : "The key could not be refreshed. Nothing changed.",
      }),
  });

  return (
    <Dialog
      open={target !== null}
      onOpenChange={(open) => (!open && !refresh.isPending ? onClose() : undefined)}
    >
      <DialogContent
        title="Refresh API Key"
        description={
          target
            ? `Issue a new secret for “${target.name}”. Its name, type, space and roles stay the same.`
            : undefined
        }
      >
        <form
          onSubmit={form.handleSubmit((values) => refresh.mutate(values))}
          noValidate
          className="space-y-4"
        >
          <ExpirationFields
            ids={{ select: "refresh-expiration", date: "refresh-expiration-date" }}
            expiration={expiration}
            selectProps={form.register("expiration")}
            dateProps={form.register("expirationDate")}
            dateError={form.formState.errors.expirationDate?.message}
          />
          <Field
            id="grace"
            label="Grace period"
            hint="How long the current secret keeps working, so clients can switch over."
          >
            <Select {...form.register("graceSeconds")} {...describedBy("grace", undefined, "hint")}>
              {GRACE_CHOICES.map((choice) => (
                <option key={choice.seconds} value={choice.seconds}>
                  {choice.label}
                </option>
              ))}
            </Select>
          </Field>
          <FormError message={form.formState.errors.root?.message} />
          <div className="flex justify-end gap-2">
            <Button onClick={onClose} disabled={refresh.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={refresh.isPending}>
              {refresh.isPending ? "Refreshing…" : "Refresh Key"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
