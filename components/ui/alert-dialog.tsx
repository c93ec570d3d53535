"use client";

import * as RadixAlert from "@radix-ui/react-alert-dialog";
import type { ReactNode } from "react";
import { Button } from "./button";
import { useFocusReturn } from "./focus-return";
import { FormError } from "./form-error";

/**
 * A confirmation for a destructive step: a title (its accessible name), what happens, an optional
 * field, and a confirm button that stays put while the change runs.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  confirmDisabled,
  confirmVariant = "danger",
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  description: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  confirmDisabled?: boolean;
  /** `primary` for a step that is not destructive (Unblock). */
  confirmVariant?: "danger" | "primary";
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <RadixAlert.Root open={open} onOpenChange={(next) => (!next && !pending ? onClose() : undefined)}>
      <RadixAlert.Portal>
        <RadixAlert.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <AlertDialogContent>
          <RadixAlert.Title className="text-lg font-semibold">{title}</RadixAlert.Title>
          <RadixAlert.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-slate-600 dark:text-slate-300">{description}</div>
          </RadixAlert.Description>
          {children ? <div className="mt-4">{children}</div> : null}
          <FormError message={error} className="mt-3" />
          <div className="mt-6 flex justify-end gap-2">
            <RadixAlert.Cancel asChild>
              <Button disabled={pending}>Cancel</Button>
            </RadixAlert.Cancel>
            <Button variant={confirmVariant} disabled={pending || confirmDisabled} onClick={onConfirm}>
              {pending ? pendingLabel : confirmLabel}
            </Button>
          </div>
        </AlertDialogContent>
      </RadixAlert.Portal>
    </RadixAlert.Root>
  );
}

/**
 * An alert dialog's box, inside its `Portal`: mounted when the alert opens, so it knows where focus
 * goes back to when it closes (focus-return.ts).
 */
export function AlertDialogContent({ children, className }: { children: ReactNode; className?: string }) {
  const returnFocus = useFocusReturn();
  return (
    <RadixAlert.Content
      onCloseAutoFocus={returnFocus}
      className={
        className ??
        "fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-6 shadow-xl focus:outline-none dark:bg-slate-900"
      }
    >
      {children}
    </RadixAlert.Content>
  );
}
