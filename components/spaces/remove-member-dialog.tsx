"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { useToast } from "@/components/ui/toast";
import { removeScopeMemberAction } from "@/lib/dashboard/actions/spaces";
import type { ScopeDetail, ScopeMember } from "@/lib/keys-client/reshape";
import { directoryQueries } from "./queries";

export function RemoveMemberDialog({
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
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await removeScopeMemberAction({ kind: scope.kind, id: scope.id, userId: member.userId })),
    onSuccess: () => {
      toast(`${member.name} left ${scope.name}.`, { action: "member-removed" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      router.refresh();
    },
  });
  return (
    <ConfirmDialog
      open
      title="Remove member"
      description={
        <p>
          Remove {member.name} from {scope.name}? Their role here ends now
          {scope.kind === "organization"
            ? ", and with it their access to its spaces unless they are members there"
            : ""}
          . Service keys they created keep working.
        </p>
      }
      confirmLabel="Remove"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.isError ? failureMessage(remove.error, "They could not be removed. Try again.") : null}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    />
  );
}
