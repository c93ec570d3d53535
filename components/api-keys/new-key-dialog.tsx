"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { createApiKeyAction } from "@/lib/dashboard/actions/api-keys";
import { NewApiKeyFormSchema, type NewApiKeyForm } from "@/lib/schemas/api-key-forms";
import { allSpaces } from "@/lib/roles/roles";
import { createKeyRequest, FIELD_FROM_API } from "./new-key-request";
import { NewKeyFields } from "./new-key-fields";
import { serviceKeyUnavailableReason } from "./permissions";
import { ActionFailure } from "@/components/ui/action-failure";
import { apiKeyQueries } from "./queries";
import { keyPolicyQuery } from "@/components/key-policy/queries";
import { beyondCap, capReason, defaultExpiration, lifetimeCap } from "@/components/key-policy/lifetime";
import { expiresAtFor } from "@/lib/schemas/api-key-forms";
import type { IssuedKey, Viewer } from "./types";

/** New API Key: the form, its submission, and where a server error lands. */
export function NewKeyDialog({
  viewer,
  open,
  onOpenChange,
  initialKeyType,
  initialSpaceId,
  onIssued,
}: {
  viewer: Viewer;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initialKeyType: "user" | "service";
  initialSpaceId?: string;
  onIssued: (secret: string, key: IssuedKey) => void;
}) {
  const creatable = useMemo(() => allSpaces(viewer).filter((c) => c.space.role !== "read-only"), [viewer]);
  const serviceUnavailableReason = serviceKeyUnavailableReason(viewer);
  // The account's key policy (lifecycle.md §3): the default lifetime preselected, longer ones disabled.
  const { data: policy } = useSuspenseQuery(keyPolicyQuery);
  // The parent remounts this dialog for every opening, so each starts from these defaults.
  const defaults = useMemo((): NewApiKeyForm => {
    const space = creatable.find((c) => c.space.id === initialSpaceId) ?? creatable[0];
    const keyType = initialKeyType === "service" && creatable.length > 0 ? "service" : "user";
    return {
      keyType,
      name: "",
      description: "",
      ...defaultExpiration(policy ?? undefined, keyType),
      spaceId: space?.space.id ?? "",
      spaceRole: "member",
      orgRole: "read-only",
      accountRole: "member",
    };
  }, [creatable, initialKeyType, initialSpaceId, policy]);

  const form = useForm<NewApiKeyForm>({
    resolver: zodResolver(NewApiKeyFormSchema),
    defaultValues: defaults,
  });

  // Each key type has its own default and cap: switching the type preselects its default.
  const keyType = useWatch({ control: form.control, name: "keyType" });
  const shownType = useRef(keyType);
  useEffect(() => {
    if (shownType.current === keyType) return;
    shownType.current = keyType;
    const chosen = defaultExpiration(policy ?? undefined, keyType);
    form.setValue("expiration", chosen.expiration);
    form.setValue("expirationDate", chosen.expirationDate);
  }, [form, keyType, policy]);
  const cap = lifetimeCap(policy ?? undefined, keyType);

  const queryClient = useQueryClient();
  const create = useMutation({
    // The secret is handed to the reveal dialog here and never returned, so it never enters a cache.
    mutationFn: async (values: NewApiKeyForm) => {
      const result = await createApiKeyAction(createKeyRequest(values));
      if (!result.ok) throw new ActionFailure(result.error);
      const { key: secret, ...issued } = result.data;
      onIssued(secret, issued);
      return issued;
    },
    onSuccess: () => {
      onOpenChange(false);
      void queryClient.invalidateQueries({ queryKey: apiKeyQueries.all });
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
        form.setError("root", { message: failure?.message ?? "The key could not be created. Try again." });
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    // A custom date beyond the cap is refused here; the keys API refuses it too (lifetime_above_policy).
    if (beyondCap(expiresAtFor(values.expiration, values.expirationDate), cap)) {
      form.setError("expirationDate", { message: `${capReason(cap) ?? ""}: pick an earlier date.` });
      return;
    }
    create.mutate(values);
  });

  return (
    <Dialog open={open} onOpenChange={(next) => (create.isPending ? undefined : onOpenChange(next))}>
      <DialogContent
        title="New API Key"
        description="User keys act as you. Service keys act as a bot in one space."
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <NewKeyFields
            form={form}
            viewer={viewer}
            creatable={creatable}
            serviceUnavailableReason={serviceUnavailableReason}
            lifetimeCap={cap}
          />
          <FormError message={form.formState.errors.root?.message} />
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create Key"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
