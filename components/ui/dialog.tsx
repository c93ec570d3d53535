"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { useFocusReturn } from "./focus-return";

export const Dialog = RadixDialog.Root;

/** Where a modal sits: centred, never wider or taller than the viewport, scrolling inside itself. */
export const modalFrameClass = cn(
  "fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2",
  "max-h-[calc(100dvh-2rem)] overflow-y-auto overscroll-contain",
  "rounded-xl bg-white shadow-xl focus:outline-none dark:bg-slate-900",
);

type DialogContentProps = { title: string; description?: ReactNode; children: ReactNode } & ComponentProps<
  typeof RadixDialog.Content
>;

/** A centred modal with a title (its accessible name) and an optional description. */
export function DialogContent(props: DialogContentProps) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50 backdrop-blur-[1px]" />
      <ModalContent {...props} />
    </RadixDialog.Portal>
  );
}

/** The modal's box: mounted when the dialog opens, so it knows where focus goes back to (focus-return.ts). */
function ModalContent({
  title,
  description,
  children,
  className,
  onCloseAutoFocus,
  ...props
}: DialogContentProps) {
  const returnFocus = useFocusReturn(onCloseAutoFocus);
  return (
    <RadixDialog.Content
      {...props}
      onCloseAutoFocus={returnFocus}
      className={cn(modalFrameClass, "max-w-lg p-6", className)}
    >
      <RadixDialog.Title className="text-lg font-semibold text-slate-900 dark:text-white">
        {title}
      </RadixDialog.Title>
      {description ? (
        <RadixDialog.Description className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {description}
        </RadixDialog.Description>
      ) : (
        <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
      )}
      <div className="mt-4">{children}</div>
    </RadixDialog.Content>
  );
}

/**
 * A dialog's buttons. They stick to the bottom edge while the dialog scrolls, so they stay reachable
 * on a short screen however long the form is.
 */
export function DialogFooter({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div
      className={cn(
        "sticky -bottom-6 -mx-6 -mb-6 flex flex-wrap justify-end gap-2 border-t border-slate-100 bg-white px-6 py-4",
        "dark:border-slate-800 dark:bg-slate-900",
        className,
      )}
    >
      {children}
    </div>
  );
}
