"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { useToast } from "@/components/ui/toast";
import { unblockMemberAction } from "@/lib/dashboard/actions/members";
import type { Member } from "@/lib/keys-client/reshape";
import { memberQueries } from "./queries";

/** Unblock member: says plainly what comes back (signing in) and what does not (keys, memberships). */
export function UnblockMemberDialog({ member, onClose }: { member: Member; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const unblock = useMutation({
    mutationFn: async () => unwrap(await unblockMemberAction({ userId: member.id })),
    onSuccess: () => {
      toast(`${member.name} is unblocked.`, { action: "unblocked" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: memberQueries.all });
    },
  });
  return (
    <ConfirmDialog
      open
      title="Unblock member"
      description={
        <>
          <p>
            Unblock {member.name} ({member.email})? They can sign in again with their password (someone
            blocked before joining needs a new invitation: Resend invitation).
          </p>
          <p>
            Their API keys stay revoked: they create new ones. They are in no organization or space: add them
            again where they need access.
          </p>
        </>
      }
      confirmLabel="Unblock"
      pendingLabel="Unblocking…"
      confirmVariant="primary"
      pending={unblock.isPending}
      error={
        unblock.isError ? failureMessage(unblock.error, "They could not be unblocked. Try again.") : null
      }
      onConfirm={() => unblock.mutate()}
      onClose={onClose}
    />
  );
}
