"use client";

import { describedBy, Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { RoleOption } from "@/lib/roles/directory";
import type { ScopeRole } from "@/lib/roles/names";

/** Select Role: options above the viewer's own disabled, and the reason beside the field. */
export function RoleSelect({
  id,
  options,
  value,
  onChange,
  note,
}: {
  id: string;
  options: RoleOption<ScopeRole>[];
  value: ScopeRole;
  onChange: (role: ScopeRole) => void;
  note: string | null;
}) {
  return (
    <Field id={id} label="Role" hint={note ?? undefined}>
      <Select
        {...describedBy(id, undefined, note ?? undefined)}
        value={value}
        onChange={(e) => {
          const picked = options.find((o) => o.value === e.target.value);
          if (picked && !picked.disabledReason) onChange(picked.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabledReason !== undefined}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
