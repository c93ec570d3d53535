"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { deleteScopeAction } from "@/lib/dashboard/actions/spaces";
import type { ScopeDetail } from "@/lib/keys-client/reshape";
import { directoryQueries } from "./queries";

/** Delete: names the active service keys it would revoke, and asks for the name to confirm. */
export function DeleteScopeDialog({ scope, onClose }: { scope: ScopeDetail; onClose: () => void }) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const keys = useQuery(directoryQueries.serviceKeys(scope.kind, scope.id));
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await deleteScopeAction({ kind: scope.kind, id: scope.id, confirmName: typed })),
    onSuccess: () => {
      toast(`${scope.name} is deleted.`, { action: "scope-deleted" });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      router.push("/settings/spaces");
      router.refresh();
    },
  });
  const list = keys.data ?? [];
  return (
    <ConfirmDialog
      open
      title={scope.kind === "space" ? "Delete space" : "Delete organization"}
      description={
        <>
          <p>
            {scope.kind === "space"
              ? `Delete ${scope.name} and its memberships for good?`
              : `Delete ${scope.name}, all of its spaces and their memberships for good?`}
          </p>
          {keys.isPending ? (
            <p>Looking for service keys…</p>
          ) : keys.isError ? (
            <p role="alert">The service keys could not be listed, so deleting is off. Close and try again.</p>
          ) : list.length === 0 ? (
            <p>No active service keys work here.</p>
          ) : (
            <>
              <p className="font-medium text-red-700 dark:text-red-400">
                {list.length === 1
                  ? "This active service key is"
                  : `These ${list.length} active service keys are`}{" "}
                revoked at once:
              </p>
              <ul className="list-disc space-y-0.5 pl-5">
                {list.map((k, i) => (
                  <li key={`${k.space}-${k.name}-${i}`}>
                    {k.name}
                    {scope.kind === "organization" ? ` (${k.space})` : ""}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      }
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      confirmDisabled={typed.trim() !== scope.name || !keys.isSuccess}
      error={remove.isError ? failureMessage(remove.error, "It could not be deleted. Try again.") : null}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    >
      <Field id="confirm-name" label="Type the name to confirm" hint={`Type ${scope.name}`}>
        <input
          id="confirm-name"
          aria-describedby="confirm-name-hint"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          className={inputClass}
        />
      </Field>
    </ConfirmDialog>
  );
}
