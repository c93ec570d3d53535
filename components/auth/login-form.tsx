"use client";

import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { signInAction } from "@/lib/dashboard/actions/auth";
import type { SignInInput } from "@/lib/schemas/sessions";
import { lazyResolver } from "@/components/ui/lazy-resolver";
import { FormError } from "@/components/ui/form-error";
import { rememberTemporaryPassword } from "./signed-in-password";

// zod and the schema load on the form's first input, not with the page (components/ui/lazy-resolver.ts).
const validation = lazyResolver<SignInInput>(async () => {
  const [{ zodResolver }, { SignInSchema }] = await Promise.all([
    import("@hookform/resolvers/zod"),
    import("@/lib/schemas/sessions"),
  ]);
  return zodResolver(SignInSchema);
});

export function LoginForm({ next }: { next?: string }) {
  const router = useRouter();
  const form = useForm<SignInInput>({
    resolver: validation.resolver,
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await signInAction({ ...values, next });
    if (result.ok) {
      if (result.data.redirectTo === "/change-password") rememberTemporaryPassword(values.password);
      router.replace(result.data.redirectTo as "/settings/api-keys");
      router.refresh();
    } else {
      form.setError("root", { message: result.error.message });
    }
  });

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
      <Field id="password" label="Password" error={errors.password?.message}>
        <input
          {...form.register("password")}
          {...describedBy("password", errors.password?.message)}
          type="password"
          autoComplete="current-password"
          className={inputClass}
        />
      </Field>
      <FormError message={errors.root?.message} />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
