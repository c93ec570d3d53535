import type { ReactNode } from "react";
import { cn } from "./cn";

/** A list or section still loading: one pulsing block, named for screen readers. */
export function Skeleton({ label, className }: { label: string; className: string }) {
  return (
    <div
      aria-busy="true"
      aria-label={label}
      className={cn(className, "animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800")}
    />
  );
}

/** A whole page loading (a route's `loading.tsx`): a heading-sized bar, then a block per `blocks`. */
export function PageSkeleton({ label, blocks }: { label: string; blocks: string[] }) {
  return (
    <div aria-busy="true" aria-label={label} className="space-y-4">
      {blocks.map((block, i) => (
        <div key={i} className={cn(block, "animate-pulse rounded bg-slate-200 dark:bg-slate-800")} />
      ))}
    </div>
  );
}

/**
 * An empty list: what is (not) there, what to do about it, and the button that does it. `section` is
 * the smaller one, for a list inside a page (a space's members, its service keys).
 */
export function EmptyState({
  title,
  hint,
  action,
  size = "page",
}: {
  title: ReactNode;
  hint?: ReactNode;
  action?: ReactNode;
  size?: "page" | "section";
}) {
  return (
    <div
      className={cn(
        "rounded-lg border border-dashed border-slate-300 bg-white text-center dark:border-slate-700 dark:bg-slate-900",
        size === "page" ? "p-10" : "p-8 text-sm",
      )}
    >
      <p className="font-medium text-slate-900 dark:text-white">{title}</p>
      {hint === undefined ? null : (
        <p className={cn("mt-1 text-slate-600 dark:text-slate-400", size === "page" && "text-sm")}>{hint}</p>
      )}
      {action}
    </div>
  );
}
