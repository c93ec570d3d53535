"use client";

import { useEffect, useState } from "react";
import { useWatch, type UseFormReturn } from "react-hook-form";
import { describedBy, Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { NewApiKeyForm } from "@/lib/schemas/api-key-forms";
import { ROLE_LABEL } from "@/lib/roles/names";
import { spaceContext, type RoleScope, type SpaceContext } from "@/lib/roles/roles";
import { clampedRoles, roleOptions } from "./role-options";
import type { Viewer } from "./types";

/**
 * A service key's Space and roles: Space Role, and behind Advanced, Org Role and Account Role. Roles
 * above the viewer's own are disabled with the reason; changing the space pulls chosen roles back
 * within the new caps.
 */
export function RoleFields({
  form,
  viewer,
  creatable,
}: {
  form: UseFormReturn<NewApiKeyForm>;
  viewer: Viewer;
  creatable: SpaceContext[];
}) {
  const { errors } = form.formState;
  const [advanced, setAdvanced] = useState(false);
  const [spaceId, spaceRole, orgRole, accountRole] = useWatch({
    control: form.control,
    name: ["spaceId", "spaceRole", "orgRole", "accountRole"],
  });
  const context = spaceId ? spaceContext(viewer, spaceId) : null;

  useEffect(() => {
    const clamped = clampedRoles({ spaceRole, orgRole }, viewer, context);
    if (clamped.spaceRole !== spaceRole) form.setValue("spaceRole", clamped.spaceRole);
    if (clamped.orgRole !== orgRole) form.setValue("orgRole", clamped.orgRole);
  }, [context, spaceRole, orgRole, viewer, form]);

  const roleSelect = (id: "spaceRole" | "orgRole" | "accountRole", label: string, scope: RoleScope) => {
    const { options, limit } = roleOptions(scope, viewer, context);
    const error = errors[id]?.message;
    return (
      <Field id={id} label={label} error={error} hint={limit}>
        <Select {...form.register(id)} {...describedBy(id, error, limit)}>
          {options.map((option) => (
            <option key={option.role} value={option.role} disabled={option.disabledReason !== null}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
    );
  };

  return (
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
      {roleSelect("spaceRole", "Space Role", "space")}
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
          {roleSelect("orgRole", "Org Role", "org")}
          {roleSelect("accountRole", "Account Role", "account")}
        </div>
      ) : (
        <p className="text-xs text-slate-500">
          Org role {ROLE_LABEL[orgRole]}, account role {ROLE_LABEL[accountRole]}.
        </p>
      )}
    </div>
  );
}
