"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { changeAccountRoleAction } from "@/lib/dashboard/actions/members";
import type { Member } from "@/lib/keys-client/reshape";
import { accountRoleOptions, clampNote, type DirectoryViewer } from "@/lib/roles/directory";
import { memberQueries } from "./queries";

export function ChangeAccountRoleDialog({
  viewer,
  member,
  onClose,
}: {
  viewer: DirectoryViewer;
  member: Member;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const options = accountRoleOptions(viewer);
  const note = clampNote(options);
  const [role, setRole] = useState(member.accountRole);
  const change = useMutation({
    mutationFn: async () => unwrap(await changeAccountRoleAction({ userId: member.id, role })),
    onSuccess: (updated) => {
      toast(
        `${updated.name} is now ${updated.accountRole === "admin" ? "an account admin" : "an account member"}.`,
        { action: "account-role" },
      );
      onClose();
      void queryClient.invalidateQueries({ queryKey: memberQueries.all });
    },
  });
  return (
    <Dialog open onOpenChange={(open) => (!open && !change.isPending ? onClose() : undefined)}>
      <DialogContent title="Change account role" description={`${member.name} (${member.email})`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate();
          }}
          className="space-y-4"
        >
          <Field
            id="account-role"
            label="Account role"
            hint={note ?? "Admins manage people, organizations and every space."}
          >
            <Select
              id="account-role"
              aria-describedby="account-role-hint"
              value={role}
              onChange={(e) => setRole(e.target.value === "admin" ? "admin" : "member")}
            >
              {options.map((o) => (
                <option key={o.value} value={o.value} disabled={o.disabledReason !== undefined}>
                  {o.label}
                </option>
              ))}
            </Select>
          </Field>
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
            <Button
              type="submit"
              variant="primary"
              disabled={change.isPending || role === member.accountRole}
            >
              {change.isPending ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
