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
import { renameScopeAction } from "@/lib/dashboard/actions/spaces";
import type { ScopeDetail } from "@/lib/keys-client/reshape";
import { RenameFormSchema, type RenameForm } from "@/lib/schemas/directory-forms";
import { directoryQueries } from "./queries";

export function RenameScopeDialog({ scope, onClose }: { scope: ScopeDetail; onClose: () => void }) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const form = useForm<RenameForm>({
    resolver: zodResolver(RenameFormSchema),
    defaultValues: { name: scope.name },
  });
  const { errors } = form.formState;
  const rename = useMutation({
    mutationFn: async ({ name }: RenameForm) => {
      unwrap(await renameScopeAction({ kind: scope.kind, id: scope.id, name }));
      return name;
    },
    onSuccess: (name) => {
      toast(`Renamed to “${name}”.`, { action: "scope-renamed" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      router.refresh();
    },
    onError: (error) =>
      error instanceof ActionFailure
        ? placeFieldErrors(form, error.error, {})
        : form.setError("root", { message: "It could not be renamed. Try again." }),
  });
  return (
    <Dialog open onOpenChange={(open) => (!open && !rename.isPending ? onClose() : undefined)}>
      <DialogContent title={`Rename ${scope.kind}`} description="Keys and members stay as they are.">
        <form onSubmit={form.handleSubmit((v) => rename.mutate(v))} noValidate className="space-y-4">
          <Field id="rename-name" label="Name" error={errors.name?.message}>
            <input
              {...form.register("name")}
              {...describedBy("rename-name", errors.name?.message)}
              autoComplete="off"
              className={inputClass}
            />
          </Field>
          <FormError message={errors.root?.message} />
          <div className="flex justify-end gap-2">
            <Button onClick={onClose} disabled={rename.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={rename.isPending}>
              {rename.isPending ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
