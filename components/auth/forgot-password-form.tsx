"use client";

import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { requestPasswordResetAction } from "@/lib/dashboard/actions/password-resets";
import type { RequestPasswordResetInput } from "@/lib/schemas/password-resets";
import { PASSWORD_RESET_SENT } from "@/lib/schemas/password-rules";
import { lazyResolver } from "@/components/ui/lazy-resolver";

const linkClass = "font-medium text-indigo-700 underline dark:text-indigo-300";

// zod and the schema load on the form's first input, not with the page (components/ui/lazy-resolver.ts).
const validation = lazyResolver<RequestPasswordResetInput>(async () => {
  const [{ zodResolver }, { RequestPasswordResetSchema }] = await Promise.all([
    import("@hookform/resolvers/zod"),
    import("@/lib/schemas/password-resets"),
  ]);
  return zodResolver(RequestPasswordResetSchema);
});

/** Forgot password: one field; afterwards the same sentence, whoever the address belongs to. */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<RequestPasswordResetInput>({
    resolver: validation.resolver,
    defaultValues: { email: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await requestPasswordResetAction(values);
    if (result.ok) setSentTo(values.email);
    else form.setError("root", { message: result.error.message });
  });

  if (sentTo !== null)
    return (
      <div className="mt-6 space-y-4">
        <p
          role="status"
          className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900 dark:bg-green-950 dark:text-green-200"
        >
          {PASSWORD_RESET_SENT}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          The link works once, for 30 minutes. Nothing arrived? Check the address ({sentTo}) and your spam
          folder, or ask an account admin to reset your password.
        </p>
        <p className="text-sm">
          <Link className={linkClass} href="/login">
            Back to sign in
          </Link>
        </p>
      </div>
    );

  return (
    <form onSubmit={onSubmit} onInput={validation.preload} noValidate className="mt-6 space-y-4">
      <Field id="email" label="Email" error={errors.email?.message}>
        <input
          {...form.register("email")}
          {...describedBy("email", errors.email?.message)}
          type="email"
          autoComplete="username"
          autoFocus
          className={inputClass}
        />
      </Field>
      <FormError message={errors.root?.message} />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Sending…" : "Send reset link"}
      </Button>
      <p className="text-center text-sm">
        <Link className={linkClass} href="/login">
          Back to sign in
        </Link>
      </p>
    </form>
  );
}
