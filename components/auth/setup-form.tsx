"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { setupAction } from "@/lib/dashboard/actions/auth";
import type { SetupForm as SetupValues } from "@/lib/schemas/directory-forms";
import { MIN_PASSWORD } from "@/lib/schemas/password-rules";
import { lazyResolver } from "@/components/ui/lazy-resolver";
import { placeFieldErrors } from "@/components/ui/field-errors";

const FIELD_FROM_API: Record<string, keyof SetupValues> = {
  account_name: "accountName",
  name: "name",
  email: "email",
  password: "password",
};

// zod and the schema load on the form's first input, not with the page (components/ui/lazy-resolver.ts).
const validation = lazyResolver<SetupValues>(async () => {
  const [{ zodResolver }, { SetupFormSchema }] = await Promise.all([
    import("@hookform/resolvers/zod"),
    import("@/lib/schemas/directory-forms"),
  ]);
  return zodResolver(SetupFormSchema);
});

export function SetupForm() {
  const router = useRouter();
  const params = useSearchParams();
  const form = useForm<SetupValues>({
    resolver: validation.resolver,
    defaultValues: { token: params.get("token") ?? "", accountName: "", name: "", email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await setupAction(values);
    if (result.ok) {
      router.replace(result.data.redirectTo as "/settings/spaces");
      router.refresh();
    } else {
      placeFieldErrors(form, result.error, FIELD_FROM_API);
    }
  });

  return (
    <form onSubmit={onSubmit} onInput={validation.preload} noValidate className="mt-6 space-y-4">
      <Field
        id="accountName"
        label="Account name"
        error={errors.accountName?.message}
        hint="Your company or team."
      >
        <input
          {...form.register("accountName")}
          {...describedBy("accountName", errors.accountName?.message, "Your company or team.")}
          autoComplete="organization"
          autoFocus
          className={inputClass}
        />
      </Field>
      <Field id="name" label="Your name" error={errors.name?.message}>
        <input
          {...form.register("name")}
          {...describedBy("name", errors.name?.message)}
          autoComplete="name"
          className={inputClass}
        />
      </Field>
      <Field id="email" label="Email" error={errors.email?.message}>
        <input
          {...form.register("email")}
          {...describedBy("email", errors.email?.message)}
          type="email"
          autoComplete="username"
          className={inputClass}
        />
      </Field>
      <Field
        id="password"
        label="Password"
        error={errors.password?.message}
        hint={`At least ${MIN_PASSWORD} characters.`}
      >
        <input
          {...form.register("password")}
          {...describedBy("password", errors.password?.message, `At least ${MIN_PASSWORD} characters.`)}
          type="password"
          autoComplete="new-password"
          className={inputClass}
        />
      </Field>
      <FormError message={errors.root?.message ?? errors.token?.message} />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create account"}
      </Button>
    </form>
  );
}
