"use client";

import { useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import {
  EXPIRATION_CHOICES,
  EXPIRATION_LABEL,
  tomorrowLocal,
  type ExpirationChoice,
} from "@/lib/schemas/api-key-forms";

/** The Expiration select and, for "Custom date", an Expiration date input that refuses the past. */
export function ExpirationFields({
  ids,
  expiration,
  selectProps,
  dateProps,
  dateError,
}: {
  ids: { select: string; date: string };
  expiration: ExpirationChoice;
  selectProps: UseFormRegisterReturn;
  dateProps: UseFormRegisterReturn;
  dateError?: string;
}) {
  const [minDate] = useState(tomorrowLocal);
  return (
    <>
      <Field id={ids.select} label="Expiration">
        <Select {...selectProps} id={ids.select}>
          {EXPIRATION_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {EXPIRATION_LABEL[choice]}
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
