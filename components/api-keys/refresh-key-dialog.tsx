"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { describedBy, Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { refreshApiKeyAction } from "@/lib/dashboard/actions/api-keys";
import {
  DEFAULT_GRACE_SECONDS,
  GRACE_CHOICES,
  RefreshApiKeyFormSchema,
  type RefreshApiKeyForm,
} from "@/lib/schemas/api-key-forms";
import { ExpirationFields } from "./expiration-fields";
import {
  chosenExpiresAt,
  defaultRefreshExpiration,
  expiryChangeNote,
  refreshExpirationOptions,
} from "./expiry";
import { ActionFailure } from "@/components/ui/action-failure";
import { apiKeyQueries } from "./queries";
import { keyPolicyQuery } from "@/components/key-policy/queries";
import {
  beyondCap,
  capReason,
  cappedOptions,
  defaultExpiration,
  lifetimeCap,
} from "@/components/key-policy/lifetime";
import type { ApiKeyRow, IssuedKey } from "./types";

/**
 * Refresh API Key: a new secret for the same key. Expiration starts at the key's own expiry, so a
 * refresh never changes how long the key lives unless the viewer picks another one (and is told).
 * The parent mounts it for one key at a time.
 */
export function RefreshKeyDialog({
  target,
  onClose,
  onIssued,
}: {
  target: ApiKeyRow;
  onClose: () => void;
  onIssued: (secret: string, key: IssuedKey) => void;
}) {
  const [openedAt] = useState(() => Date.now());
  const current = target.expires_at;
  // The account's cap holds the refreshed key's new expiry (lifecycle.md §3).
  const { data: policy } = useSuspenseQuery(keyPolicyQuery);
  const cap = lifetimeCap(policy ?? undefined, target.key_type === "service" ? "service" : "user");
  const keepDays = current === undefined ? null : (new Date(current).getTime() - openedAt) / 86_400_000;
  const options = cappedOptions(refreshExpirationOptions(current, openedAt), cap, keepDays);
  const keyType = target.key_type === "service" ? "service" : "user";
  const preferred = defaultRefreshExpiration(
    current,
    openedAt,
    defaultExpiration(policy ?? undefined, keyType, new Date(openedAt)),
  );
  const form = useForm<RefreshApiKeyForm>({
    resolver: zodResolver(RefreshApiKeyFormSchema),
    defaultValues: {
      // The usual choice, unless the cap rules it out: then the longest one allowed.
      ...(options.find((o) => o.value === preferred.expiration && !o.disabled)
        ? preferred
        : {
            expiration:
              [...options].reverse().find((o) => !o.disabled && o.value !== "custom")?.value ?? "custom",
            expirationDate: "",
          }),
      // The old secret keeps working for a day, so clients can switch over (issue 20): stopping it
      // at once is a deliberate choice.
      graceSeconds: DEFAULT_GRACE_SECONDS,
    },
  });
  const [expiration, expirationDate] = useWatch({
    control: form.control,
    name: ["expiration", "expirationDate"],
  });
  const note = expiryChangeNote(
    current,
    chosenExpiresAt(expiration, expirationDate, current, openedAt),
    openedAt,
  );

  const queryClient = useQueryClient();
  const refresh = useMutation({
    mutationFn: async (values: RefreshApiKeyForm) => {
      const expiresAt = chosenExpiresAt(values.expiration, values.expirationDate, current, Date.now());
      const result = await refreshApiKeyAction({
        id: target.id,
        body: {
          ...(expiresAt ? { expires_at: expiresAt } : {}),
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
    <Dialog open onOpenChange={(open) => (!open && !refresh.isPending ? onClose() : undefined)}>
      <DialogContent
        title="Refresh API Key"
        description={
          keyType === "service"
            ? `Issue a new secret for “${target.name}”. Its name, type, space and roles stay the same.`
            : `Issue a new secret for “${target.name}”. Its name and type stay the same, and it still acts as you.`
        }
      >
        <form
          onSubmit={form.handleSubmit((values) => {
            if (
              beyondCap(
                chosenExpiresAt(values.expiration, values.expirationDate, current, openedAt) ?? undefined,
                cap,
              )
            ) {
              form.setError("expirationDate", { message: `${capReason(cap) ?? ""}: pick an earlier date.` });
              return;
            }
            refresh.mutate(values);
          })}
          noValidate
          className="space-y-4"
        >
          <ExpirationFields
            ids={{ select: "refresh-expiration", date: "refresh-expiration-date" }}
            options={options}
            expiration={expiration}
            selectProps={form.register("expiration")}
            dateProps={form.register("expirationDate")}
            dateError={form.formState.errors.expirationDate?.message}
            hint={[note, capReason(cap)].filter(Boolean).join(" ") || null}
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
          <DialogFooter>
            <Button onClick={onClose} disabled={refresh.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={refresh.isPending}>
              {refresh.isPending ? "Refreshing…" : "Refresh Key"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
