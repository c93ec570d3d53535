import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import type { ActionError } from "@/lib/dashboard/action-result";

/**
 * Puts an action's field errors on the form fields they concern (API field → form field), and
 * anything else on the form as a whole.
 */
export function placeFieldErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  error: ActionError,
  fieldFromApi: Record<string, Path<T>>,
): void {
  let placed = false;
  for (const [apiField, message] of Object.entries(error.fieldErrors ?? {})) {
    const field =
      fieldFromApi[apiField] ?? (apiField in form.getValues() ? (apiField as Path<T>) : undefined);
    if (field) {
      form.setError(field, { message });
      placed = true;
    }
  }
  if (!placed) form.setError("root", { message: error.message });
}
