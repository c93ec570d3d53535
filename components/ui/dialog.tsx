"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export const Dialog = RadixDialog.Root;

/** A centred modal with a title (its accessible name) and an optional description. */
export function DialogContent({
  title,
  description,
  children,
  className,
  ...props
}: { title: string; description?: ReactNode; children: ReactNode } & ComponentProps<
  typeof RadixDialog.Content
>) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50 backdrop-blur-[1px]" />
      <RadixDialog.Content
        {...props}
        className={cn(
          "fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto",
          "rounded-xl bg-white p-6 shadow-xl focus:outline-none dark:bg-slate-900",
          className,
        )}
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
    </RadixDialog.Portal>
  );
}
