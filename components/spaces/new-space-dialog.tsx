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
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { createSpaceAction } from "@/lib/dashboard/actions/spaces";
import { NewSpaceFormSchema, type NewSpaceForm } from "@/lib/schemas/directory-forms";
import { directoryQueries } from "./queries";

const FIELD_FROM_API: Record<string, keyof NewSpaceForm> = {
  organization_id: "organizationId",
  is_private: "isPrivate",
};

export function NewSpaceDialog({
  organizations,
  initialOrganizationId,
  onClose,
}: {
  /** Where the viewer may create a space: the organizations they are admin of. */
  organizations: { id: string; name: string }[];
  initialOrganizationId?: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const form = useForm<NewSpaceForm>({
    resolver: zodResolver(NewSpaceFormSchema),
    defaultValues: {
      organizationId:
        organizations.find((o) => o.id === initialOrganizationId)?.id ?? organizations[0]?.id ?? "",
      name: "",
      description: "",
      isPrivate: false,
    },
  });
  const { errors } = form.formState;
  const create = useMutation({
    mutationFn: async (values: NewSpaceForm) => {
      unwrap(await createSpaceAction(values));
      return values.name;
    },
    onSuccess: (name) => {
      toast(`Space “${name}” is ready.`, { action: "space-created" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      // The viewer's roles (/v2/me) now include the space: the API Keys page offers it at once.
      router.refresh();
    },
    onError: (error) =>
      error instanceof ActionFailure
        ? placeFieldErrors(form, error.error, FIELD_FROM_API)
        : form.setError("root", { message: "The space could not be created. Try again." }),
  });
  return (
    <Dialog open onOpenChange={(open) => (!open && !create.isPending ? onClose() : undefined)}>
      <DialogContent title="New space" description="A space holds the service keys of one service or team.">
        <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate className="space-y-4">
          <Field id="space-organization" label="Organization" error={errors.organizationId?.message}>
            <Select
              {...form.register("organizationId")}
              {...describedBy("space-organization", errors.organizationId?.message)}
            >
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="space-name" label="Name" error={errors.name?.message}>
            <input
              {...form.register("name")}
              {...describedBy("space-name", errors.name?.message)}
              autoComplete="off"
              className={inputClass}
            />
          </Field>
          <Field id="space-description" label="Description" error={errors.description?.message}>
            <textarea
              {...form.register("description")}
              {...describedBy("space-description", errors.description?.message)}
              rows={2}
              className={inputClass}
            />
          </Field>
          <div className="flex items-start gap-2">
            <input
              id="space-private"
              type="checkbox"
              {...form.register("isPrivate")}
              aria-describedby="space-private-hint"
              className="mt-1 h-4 w-4 rounded border-slate-300"
            />
            <div>
              <label htmlFor="space-private" className="text-sm font-medium">
                Private
              </label>
              <p id="space-private-hint" className="text-sm text-slate-600 dark:text-slate-400">
                Only its members and the admins above it can see it.
              </p>
            </div>
          </div>
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
