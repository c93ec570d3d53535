"use client";

import { useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { tomorrowLocal, type RefreshExpirationChoice } from "@/lib/schemas/api-key-forms";
import type { ExpirationOption } from "./expiry";

/** The Expiration select and, for "Custom date", an Expiration date input that refuses the past. */
export function ExpirationFields({
  ids,
  options,
  expiration,
  selectProps,
  dateProps,
  dateError,
  hint,
}: {
  ids: { select: string; date: string };
  options: ExpirationOption[];
  expiration: RefreshExpirationChoice;
  selectProps: UseFormRegisterReturn;
  dateProps: UseFormRegisterReturn;
  dateError?: string;
  /** Said under the select, e.g. that the choice extends the key. */
  hint?: string | null;
}) {
  const [minDate] = useState(tomorrowLocal);
  const note = hint ?? undefined;
  return (
    <>
      <Field id={ids.select} label="Expiration" hint={note}>
        <Select {...selectProps} {...describedBy(ids.select, undefined, note)}>
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      {expiration === "custom" ? (
        <Field id={ids.date} label="Expiration date" error={dateError}>
          <input
            type="date"
            {...dateProps}
            {...describedBy(ids.date, dateError)}
            min={minDate}
            className={inputClass}
          />
        </Field>
      ) : null}
    </>
  );
}
