"use client";

import { useParams, useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { placeFieldErrors } from "@/components/ui/field-errors";
import { FormError } from "@/components/ui/form-error";
import { joinAction } from "@/lib/dashboard/actions/auth";
import type { JoinForm as Values } from "@/lib/schemas/directory-forms";
import { MIN_PASSWORD } from "@/lib/schemas/password-rules";
import { lazyResolver } from "@/components/ui/lazy-resolver";

const HINT = `At least ${MIN_PASSWORD} characters.`;

// zod and the schema load on the form's first input, not with the page (components/ui/lazy-resolver.ts).
const validation = lazyResolver<Values>(async () => {
  const [{ zodResolver }, { JoinFormSchema }] = await Promise.all([
    import("@hookform/resolvers/zod"),
    import("@/lib/schemas/directory-forms"),
  ]);
  return zodResolver(JoinFormSchema);
});

/** Joining through an invitation link (name and password), or a new password through a reset link. */
export function JoinForm({ name, purpose }: { name: string; purpose: "invite" | "reset" }) {
  const router = useRouter();
  const { token } = useParams<{ token: string }>();
  const form = useForm<Values>({
    resolver: validation.resolver,
    defaultValues: { token, ...(purpose === "invite" ? { name } : {}), password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await joinAction(values);
    if (result.ok) {
      router.replace(result.data.redirectTo as "/settings/api-keys");
      router.refresh();
    } else {
      placeFieldErrors(form, result.error, {});
    }
  });

  return (
    <form onSubmit={onSubmit} onInput={validation.preload} noValidate className="mt-6 space-y-4">
      {purpose === "invite" ? (
        <Field id="name" label="Your name" error={errors.name?.message}>
          <input
            {...form.register("name")}
            {...describedBy("name", errors.name?.message)}
            autoComplete="name"
            className={inputClass}
          />
        </Field>
      ) : null}
      <Field id="password" label="Password" error={errors.password?.message} hint={HINT}>
        <input
          {...form.register("password")}
          {...describedBy("password", errors.password?.message, HINT)}
          type="password"
          autoComplete="new-password"
          autoFocus
          className={inputClass}
        />
      </Field>
      <FormError message={errors.root?.message ?? errors.token?.message} />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {purpose === "invite"
          ? isSubmitting
            ? "Joining…"
            : "Join"
          : isSubmitting
            ? "Saving…"
            : "Save password"}
      </Button>
    </form>
  );
}
