"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { ActionFailure, unwrap } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { placeFieldErrors } from "@/components/ui/field-errors";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { createOrganizationAction } from "@/lib/dashboard/actions/spaces";
import { NewOrganizationFormSchema, type NewOrganizationForm } from "@/lib/schemas/directory-forms";
import { directoryQueries } from "./queries";

export function NewOrganizationDialog({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const form = useForm<NewOrganizationForm>({
    resolver: zodResolver(NewOrganizationFormSchema),
    defaultValues: { name: "", description: "" },
  });
  const { errors } = form.formState;
  const create = useMutation({
    mutationFn: async (values: NewOrganizationForm) => {
      unwrap(await createOrganizationAction(values));
      return values.name;
    },
    onSuccess: (name) => {
      toast(`Organization “${name}” is ready.`, { action: "organization-created" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      // The viewer's roles (/v2/me) now include it: every page's server data follows.
      router.refresh();
    },
    onError: (error) =>
      error instanceof ActionFailure
        ? placeFieldErrors(form, error.error, {})
        : form.setError("root", { message: "The organization could not be created. Try again." }),
  });
  return (
    <Dialog open onOpenChange={(open) => (!open && !create.isPending ? onClose() : undefined)}>
      <DialogContent
        title="New organization"
        description="A group of spaces, such as a department or a product."
      >
        <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate className="space-y-4">
          <Field id="org-name" label="Name" error={errors.name?.message}>
            <input
              {...form.register("name")}
              {...describedBy("org-name", errors.name?.message)}
              autoComplete="off"
              className={inputClass}
            />
          </Field>
          <Field id="org-description" label="Description" error={errors.description?.message}>
            <textarea
              {...form.register("description")}
              {...describedBy("org-description", errors.description?.message)}
              rows={2}
              className={inputClass}
            />
          </Field>
          <FormError message={errors.root?.message} />
          <div className="flex justify-end gap-2 pt-2">
            <Button onClick={onClose} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
