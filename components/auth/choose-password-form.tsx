"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { placeFieldErrors } from "@/components/ui/field-errors";
import { FormError } from "@/components/ui/form-error";
import { choosePasswordAction } from "@/lib/dashboard/actions/auth";
import type { ChoosePasswordForm as Values } from "@/lib/schemas/directory-forms";
import { MIN_PASSWORD } from "@/lib/schemas/password-rules";
import { lazyResolver } from "@/components/ui/lazy-resolver";

import { forgetTemporaryPassword, recallTemporaryPassword } from "./signed-in-password";

const HINT = `At least ${MIN_PASSWORD} characters.`;

// zod and the schema load on the form's first input, not with the page (components/ui/lazy-resolver.ts).
const validation = lazyResolver<Values>(async () => {
  const [{ zodResolver }, { ChoosePasswordFormSchema }] = await Promise.all([
    import("@hookform/resolvers/zod"),
    import("@/lib/schemas/directory-forms"),
  ]);
  return zodResolver(ChoosePasswordFormSchema);
});

export function ChoosePasswordForm() {
  const router = useRouter();
  // The temporary password typed at sign-in, when this page was reached from there; else asked for.
  const [known] = useState(recallTemporaryPassword);
  useEffect(() => () => forgetTemporaryPassword(), []);
  const form = useForm<Values>({
    resolver: validation.resolver,
    defaultValues: { currentPassword: known ?? "", newPassword: "", confirmPassword: "" },
  });
  const askCurrent = known === null || form.formState.errors.currentPassword !== undefined;
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await choosePasswordAction(values);
    if (result.ok) {
      forgetTemporaryPassword();
      router.replace(result.data.redirectTo as "/settings/api-keys");
      router.refresh();
    } else if (result.error.code === "authentication_required") {
      router.replace("/login");
    } else {
      placeFieldErrors(form, result.error, {});
    }
  });

  return (
    <form onSubmit={onSubmit} onInput={validation.preload} noValidate className="mt-6 space-y-4">
      {askCurrent ? (
        <Field id="currentPassword" label="Temporary password" error={errors.currentPassword?.message}>
          <input
            {...form.register("currentPassword")}
            {...describedBy("currentPassword", errors.currentPassword?.message)}
            type="password"
            autoComplete="current-password"
            className={inputClass}
          />
        </Field>
      ) : null}
      <Field id="newPassword" label="New password" error={errors.newPassword?.message} hint={HINT}>
        <input
          {...form.register("newPassword")}
          {...describedBy("newPassword", errors.newPassword?.message, HINT)}
          type="password"
          autoComplete="new-password"
          autoFocus
          className={inputClass}
        />
      </Field>
      <Field id="confirmPassword" label="Confirm password" error={errors.confirmPassword?.message}>
        <input
          {...form.register("confirmPassword")}
          {...describedBy("confirmPassword", errors.confirmPassword?.message)}
          type="password"
          autoComplete="new-password"
          className={inputClass}
        />
      </Field>
      <FormError message={errors.root?.message} />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Saving…" : "Save password"}
      </Button>
    </form>
  );
}
