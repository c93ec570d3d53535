"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { changeScopeRoleAction } from "@/lib/dashboard/actions/spaces";
import type { ScopeDetail, ScopeMember } from "@/lib/keys-client/reshape";
import { clampNote, scopeRoleOptions } from "@/lib/roles/directory";
import { ROLE_LABEL, type ScopeRole } from "@/lib/roles/names";
import { directoryQueries } from "./queries";
import { RoleSelect } from "./role-select";

export function ChangeRoleDialog({
  scope,
  member,
  onClose,
}: {
  scope: ScopeDetail;
  member: ScopeMember;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const options = scopeRoleOptions(scope.name, scope.role ?? "read-only");
  const [role, setRole] = useState<ScopeRole>(member.role);
  const change = useMutation({
    mutationFn: async () =>
      unwrap(await changeScopeRoleAction({ kind: scope.kind, id: scope.id, userId: member.userId, role })),
    onSuccess: () => {
      toast(`${member.name} is now ${ROLE_LABEL[role]} in ${scope.name}.`, { action: "role-changed" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      router.refresh();
    },
  });
  return (
    <Dialog open onOpenChange={(open) => (!open && !change.isPending ? onClose() : undefined)}>
      <DialogContent title="Change role" description={`${member.name}'s role in ${scope.name}.`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate();
          }}
          className="space-y-4"
        >
          <RoleSelect
            id="change-role"
            options={options}
            value={role}
            onChange={setRole}
            note={clampNote(options)}
          />
          <FormError
            message={
              change.isError
                ? failureMessage(change.error, "The role could not be changed. Try again.")
                : null
            }
          />
          <div className="flex justify-end gap-2">
            <Button onClick={onClose} disabled={change.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={change.isPending || role === member.role}>
              {change.isPending ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
