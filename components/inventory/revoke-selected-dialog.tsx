"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { ActionFailure, failureMessage } from "@/components/ui/action-failure";
import { inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiKeyQueries } from "@/components/api-keys/queries";
import { revokeApiKeysAction } from "@/lib/dashboard/actions/inventory";

const keysWord = (n: number) => (n === 1 ? "key" : "keys");

/**
 * Revoke selected: names the count and asks for it typed, so a slip of the mouse cannot revoke a
 * page of keys. One request; the API revokes all of them or none.
 */
export function RevokeSelectedDialog({
  ids,
  onClose,
  onRevoked,
}: {
  ids: string[];
  onClose: () => void;
  onRevoked: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [typed, setTyped] = useState("");
  const count = ids.length;
  const revoke = useMutation({
    mutationFn: async () => {
      const result = await revokeApiKeysAction({ ids });
      if (!result.ok) throw new ActionFailure(result.error);
      return result.data.revoked;
    },
    onSuccess: (revoked) => {
      toast(`Revoked ${revoked} ${keysWord(revoked)}.`, { action: "revoked" });
      onRevoked();
      void queryClient.invalidateQueries({ queryKey: apiKeyQueries.all });
    },
  });
  const confirmed = typed.trim() === String(count);

  return (
    <ConfirmDialog
      open
      title={`Revoke ${count} ${keysWord(count)}?`}
      description={
        <p>
          The {count} selected {keysWord(count)} stop working immediately and for good, including any secret
          still in a grace period. Keys already revoked are skipped. This cannot be undone.
        </p>
      }
      confirmLabel={`Revoke ${count} ${keysWord(count)}`}
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      confirmDisabled={!confirmed}
      error={
        revoke.isError ? failureMessage(revoke.error, "The keys could not be revoked. Try again.") : null
      }
      onConfirm={() => (confirmed ? revoke.mutate() : undefined)}
      onClose={onClose}
    >
      <label htmlFor="revoke-count" className="block text-sm font-medium">
        Type {count} to confirm
      </label>
      <input
        id="revoke-count"
        inputMode="numeric"
        autoComplete="off"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && confirmed && !revoke.isPending) revoke.mutate();
        }}
        className={inputClass}
      />
    </ConfirmDialog>
  );
}
