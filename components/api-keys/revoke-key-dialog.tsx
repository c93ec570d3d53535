"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { AlertDialogContent } from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DialogFooter, modalFrameClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { revokeApiKeyAction } from "@/lib/dashboard/actions/api-keys";
import { relativeTime } from "./format";
import { ActionFailure } from "@/components/ui/action-failure";
import { apiKeyQueries } from "./queries";
import type { ApiKeyRow } from "./types";
import { FormError } from "@/components/ui/form-error";

export function RevokeKeyDialog({ target, onClose }: { target: ApiKeyRow | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: async (key: ApiKeyRow) => {
      const result = await revokeApiKeyAction({ id: key.id });
      if (!result.ok) throw new ActionFailure(result.error);
      return key;
    },
    onSuccess: (key) => {
      toast(`Revoked “${key.name}”.`, { action: "revoked" });
      close();
      void queryClient.invalidateQueries({ queryKey: apiKeyQueries.all });
    },
    onError: (e) =>
      setError(e instanceof ActionFailure ? e.message : "The key could not be revoked. Try again."),
  });
  const close = () => {
    setError(null);
    onClose();
  };

  return (
    <AlertDialog.Root
      open={target !== null}
      onOpenChange={(open) => (!open && !revoke.isPending ? close() : undefined)}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <AlertDialogContent className={cn(modalFrameClass, "max-w-md p-6")}>
          <AlertDialog.Title className="text-lg font-semibold">Revoke API Key</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 space-y-2 text-sm text-slate-600 dark:text-slate-300">
            <span className="block break-words">
              “{target?.name}” ({target?.redacted_key}) stops working immediately and for good, including any
              secret still in a grace period. This cannot be undone.
            </span>
            <span className="block">
              Last used: {target?.last_used_at ? relativeTime(target.last_used_at) : "never"}.
            </span>
          </AlertDialog.Description>
          <FormError message={error} className="mt-3" />
          <DialogFooter className="mt-4">
            <AlertDialog.Cancel asChild>
              <Button disabled={revoke.isPending}>Cancel</Button>
            </AlertDialog.Cancel>
            <Button
              variant="danger"
              disabled={revoke.isPending}
              onClick={() => target && revoke.mutate(target)}
            >
              {revoke.isPending ? "Revoking…" : "Revoke Key"}
            </Button>
          </DialogFooter>
        </AlertDialogContent>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
