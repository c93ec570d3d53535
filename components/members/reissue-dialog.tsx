"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { resendInvitationAction, resetPasswordAction } from "@/lib/dashboard/actions/members";
import type { Invitation, Member } from "@/lib/keys-client/reshape";
import { memberQueries } from "./queries";

/** Reset password (a new temporary password) or Resend invitation (a new link or password); then Share. */
export function ReissueDialog({
  kind,
  member,
  onClose,
  onIssued,
}: {
  kind: "reset" | "resend";
  member: Member;
  onClose: () => void;
  onIssued: (invitation: Invitation | null) => void;
}) {
  const queryClient = useQueryClient();
  const issue = useMutation({
    mutationFn: async () => {
      const action = kind === "reset" ? resetPasswordAction : resendInvitationAction;
      // The secret goes straight to the Share dialog's state.
      onIssued(unwrap(await action({ userId: member.id, name: member.name, email: member.email })));
    },
    onSuccess: () => {
      onClose();
      void queryClient.invalidateQueries({ queryKey: memberQueries.all });
    },
  });
  const reset = kind === "reset";
  return (
    <ConfirmDialog
      open
      title={reset ? "Reset password" : "Resend invitation"}
      description={
        reset ? (
          <p>
            {member.name} gets a new temporary password, shown to you once. Their current password stops
            working now; they choose a new one when they next sign in.
          </p>
        ) : (
          <p>
            {member.name} gets a new invitation, shown to you once. The previous link or temporary password
            stops working.
          </p>
        )
      }
      confirmLabel={reset ? "Reset password" : "Resend invitation"}
      pendingLabel="Working…"
      pending={issue.isPending}
      error={issue.isError ? failureMessage(issue.error, "That did not work. Try again.") : null}
      onConfirm={() => issue.mutate()}
      onClose={onClose}
    />
  );
}
