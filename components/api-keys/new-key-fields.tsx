"use client";

import { useWatch, type UseFormReturn } from "react-hook-form";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import type { NewApiKeyForm } from "@/lib/schemas/api-key-forms";
import { MAX_DESCRIPTION, MAX_NAME } from "@/lib/schemas/api-keys";
import type { SpaceContext } from "@/lib/roles/roles";
import { ExpirationFields } from "./expiration-fields";
import { NEW_KEY_EXPIRATION_OPTIONS } from "./expiry";
import { capReason, cappedOptions } from "@/components/key-policy/lifetime";
import { RoleFields } from "./role-fields";
import type { Viewer } from "./types";

/** The New API Key form's fields: Key Type, Key Name, Description, Expiration, and a service key's roles. */
export function NewKeyFields({
  form,
  viewer,
  creatable,
  serviceUnavailableReason,
  lifetimeCap = null,
}: {
  form: UseFormReturn<NewApiKeyForm>;
  viewer: Viewer;
  /** Spaces where the viewer may create a service key. */
  creatable: SpaceContext[];
  /** Why Service Key is off, or null. */
  serviceUnavailableReason: string | null;
  /** The account's longest lifetime for this key type, in days (null: none). */
  lifetimeCap?: number | null;
}) {
  const { errors } = form.formState;
  const [keyType, name = "", expiration] = useWatch({
    control: form.control,
    name: ["keyType", "name", "expiration"],
  });

  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800 dark:text-slate-200" id="key-type-label">
          Key Type
        </legend>
        <div role="radiogroup" aria-labelledby="key-type-label" className="mt-2 grid grid-cols-2 gap-2">
          {(["user", "service"] as const).map((type) => {
            const disabled = type === "service" && serviceUnavailableReason !== null;
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
        {serviceUnavailableReason ? (
          <p className="mt-1 text-sm text-slate-500">{serviceUnavailableReason}</p>
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
        options={cappedOptions(NEW_KEY_EXPIRATION_OPTIONS, lifetimeCap)}
        expiration={expiration}
        selectProps={form.register("expiration")}
        dateProps={form.register("expirationDate")}
        dateError={errors.expirationDate?.message}
        hint={capReason(lifetimeCap)}
      />

      {keyType === "service" ? <RoleFields form={form} viewer={viewer} creatable={creatable} /> : null}
    </>
  );
}
