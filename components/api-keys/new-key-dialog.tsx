"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { createApiKeyAction } from "@/lib/dashboard/actions/api-keys";
import { expiresAtFor, NewApiKeyFormSchema, type NewApiKeyForm } from "@/lib/schemas/api-key-forms";
import { MAX_DESCRIPTION, MAX_NAME } from "@/lib/schemas/api-keys";
import {
  allSpaces,
  clampReason,
  ROLE_LABEL,
  spaceContext,
  type ScopeRole as ScopeRoleValue,
} from "@/lib/roles/roles";
import { ExpirationFields } from "./expiration-fields";
import { ActionFailure, apiKeyQueries } from "./queries";
import type { IssuedKey, Viewer } from "./types";
import { FormError } from "@/components/ui/form-error";

const SCOPE_ROLES: ScopeRoleValue[] = ["admin", "member", "read-only"];

/** API field → form field, so a server error lands on the field it concerns. */
const FIELD_FROM_API: Record<string, keyof NewApiKeyForm> = {
  name: "name",
  description: "description",
  expires_at: "expirationDate",
  space_id: "spaceId",
  "roles.space_role": "spaceRole",
  "roles.org_role": "orgRole",
  "roles.account_role": "accountRole",
};

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
  const canCreateService = creatable.length > 0;
  const defaults = useMemo((): NewApiKeyForm => {
    const space = creatable.find((c) => c.space.id === initialSpaceId) ?? creatable[0];
    return {
      keyType: initialKeyType === "service" && canCreateService ? "service" : "user",
      name: "",
      description: "",
      expiration: "never",
      expirationDate: "",
      spaceId: space?.space.id ?? "",
      spaceRole: "member",
      orgRole: "read-only",
      accountRole: "member",
    };
  }, [creatable, initialKeyType, initialSpaceId, canCreateService]);

  const form = useForm<NewApiKeyForm>({
    resolver: zodResolver(NewApiKeyFormSchema),
    defaultValues: defaults,
  });
  // The parent remounts this dialog for every opening, so each starts from the defaults.
  const [advanced, setAdvanced] = useState(false);

  const queryClient = useQueryClient();
  const create = useMutation({
    // The secret is handed to the reveal dialog here and never returned, so it never enters a cache.
    mutationFn: async (values: NewApiKeyForm) => {
      const service = values.keyType === "service";
      const result = await createApiKeyAction({
        name: values.name,
        ...(values.description ? { description: values.description } : {}),
        key_type: values.keyType,
        ...(values.expiration !== "never"
          ? { expires_at: expiresAtFor(values.expiration, values.expirationDate) }
          : {}),
        ...(service
          ? {
              space_id: values.spaceId,
              roles: {
                space_role: values.spaceRole,
                org_role: values.orgRole,
                account_role: values.accountRole,
              },
            }
          : {}),
      });
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

  const onSubmit = form.handleSubmit((values) => create.mutate(values));

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
            advanced={advanced}
            setAdvanced={setAdvanced}
          />
          <FormError message={form.formState.errors.root?.message} />
          <div className="flex justify-end gap-2 pt-2">
            <Button onClick={() => onOpenChange(false)} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create Key"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function NewKeyFields({
  form,
  viewer,
  creatable,
  advanced,
  setAdvanced,
}: {
  form: UseFormReturn<NewApiKeyForm>;
  viewer: Viewer;
  creatable: ReturnType<typeof allSpaces>;
  advanced: boolean;
  setAdvanced: (open: boolean) => void;
}) {
  const { errors } = form.formState;
  const [keyType, name = "", expiration, spaceId, spaceRole, orgRole, accountRole] = useWatch({
    control: form.control,
    name: ["keyType", "name", "expiration", "spaceId", "spaceRole", "orgRole", "accountRole"],
  });
  const context = spaceId ? spaceContext(viewer, spaceId) : null;

  // Keep chosen roles within the viewer's caps when the space changes.
  useEffect(() => {
    if (!context) return;
    if (clampReason("space", spaceRole, viewer, context)) form.setValue("spaceRole", context.space.role);
    if (clampReason("org", orgRole, viewer, context)) form.setValue("orgRole", context.organization.role);
  }, [context, spaceRole, orgRole, viewer, form]);

  const roleSelect = (
    id: "spaceRole" | "orgRole" | "accountRole",
    label: string,
    scope: "space" | "org" | "account",
    roles: ScopeRoleValue[],
  ) => {
    const reasons = roles.map((r) => clampReason(scope, r, viewer, context));
    const limit = reasons.find((r) => r !== null) ?? undefined;
    const error = errors[id]?.message;
    return (
      <Field id={id} label={label} error={error} hint={limit}>
        <Select {...form.register(id)} {...describedBy(id, error, limit)}>
          {roles.map((role, i) => (
            <option key={role} value={role} disabled={reasons[i] !== null}>
              {ROLE_LABEL[role]}
            </option>
          ))}
        </Select>
      </Field>
    );
  };

  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800 dark:text-slate-200" id="key-type-label">
          Key Type
        </legend>
        <div role="radiogroup" aria-labelledby="key-type-label" className="mt-2 grid grid-cols-2 gap-2">
          {(["user", "service"] as const).map((type) => {
            const disabled = type === "service" && creatable.length === 0;
            return (
              <label
                key={type}
                className={`flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-2 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500 dark:has-[:checked]:bg-indigo-950 ${disabled ? "cursor-not-allowed opacity-50" : ""}`}
              >
                <input type="radio" value={type} disabled={disabled} {...form.register("keyType")} />
                {type === "user" ? "User Key" : "Service Key"}
              </label>
            );
          })}
        </div>
        {creatable.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">Read-only members can&apos;t create service keys.</p>
        ) : null}
      </fieldset>

      <Field
        id="name"
        label="Key Name"
        error={errors.name?.message}
        aside={
          name.length > MAX_NAME - 56 ? (
            <span className={`text-xs ${name.length > MAX_NAME ? "text-red-600" : "text-slate-500"}`}>
              {name.length}/{MAX_NAME}
            </span>
          ) : null
        }
      >
        <input
          {...form.register("name")}
          {...describedBy("name", errors.name?.message)}
          className={inputClass}
          placeholder="e.g. Production Data Pipeline"
          autoComplete="off"
          aria-required="true"
        />
      </Field>

      <Field id="description" label="Description" error={errors.description?.message}>
        <textarea
          {...form.register("description")}
          {...describedBy("description", errors.description?.message)}
          className={inputClass}
          rows={2}
          maxLength={MAX_DESCRIPTION + 1}
        />
      </Field>

      <ExpirationFields
        ids={{ select: "expiration", date: "expirationDate" }}
        expiration={expiration}
        selectProps={form.register("expiration")}
        dateProps={form.register("expirationDate")}
        dateError={errors.expirationDate?.message}
      />

      {keyType === "service" ? (
        <div className="space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
          <Field id="spaceId" label="Space" error={errors.spaceId?.message}>
            <Select {...form.register("spaceId")} {...describedBy("spaceId", errors.spaceId?.message)}>
              {creatable.map(({ space, organization }) => (
                <option key={space.id} value={space.id}>
                  {space.name} ({organization.name}) — your role: {ROLE_LABEL[space.role]}
                </option>
              ))}
            </Select>
          </Field>
          {roleSelect("spaceRole", "Space Role", "space", SCOPE_ROLES)}
          <button
            type="button"
            aria-expanded={advanced}
            aria-controls="advanced-roles"
            onClick={() => setAdvanced(!advanced)}
            className="flex items-center gap-1 rounded text-sm font-medium text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
          >
            <span aria-hidden="true">{advanced ? "▾" : "▸"}</span>
            Advanced
          </button>
          {advanced ? (
            <div id="advanced-roles" className="space-y-4">
              {roleSelect("orgRole", "Org Role", "org", SCOPE_ROLES)}
              {roleSelect("accountRole", "Account Role", "account", ["admin", "member"])}
            </div>
          ) : (
            <p className="text-xs text-slate-500">
              Org role {ROLE_LABEL[orgRole]}, account role {ROLE_LABEL[accountRole]}.
            </p>
          )}
        </div>
      ) : null}
    </>
  );
}
