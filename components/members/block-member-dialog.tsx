"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { useToast } from "@/components/ui/toast";
import { blockMemberAction } from "@/lib/dashboard/actions/members";
import type { Member } from "@/lib/keys-client/reshape";
import { memberQueries } from "./queries";

export function BlockMemberDialog({ member, onClose }: { member: Member; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const block = useMutation({
    mutationFn: async () => unwrap(await blockMemberAction({ userId: member.id })),
    onSuccess: () => {
      toast(`${member.name} is blocked.`, { action: "blocked" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: memberQueries.all });
    },
  });
  return (
    <ConfirmDialog
      open
      title="Block member"
      description={
        <>
          <p>
            Block {member.name} ({member.email})? They can no longer sign in, their sessions end now, they
            leave every organization and space, and their user keys stop working at once.
          </p>
          <p>
            Service keys they created keep working. Unblock lets them sign in again, but their user keys stay
            revoked.
          </p>
        </>
      }
      confirmLabel="Block"
      pendingLabel="Blocking…"
      pending={block.isPending}
      error={block.isError ? failureMessage(block.error, "They could not be blocked. Try again.") : null}
      onConfirm={() => block.mutate()}
      onClose={onClose}
    />
  );
}
