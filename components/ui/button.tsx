import type { ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * primary: the page's main step (one per view). secondary: everything else. danger-outline: a
 * destructive step outside a confirmation (it opens one). danger: the confirming button inside that
 * confirmation, the only solid red. ghost: a quiet control in a toolbar. (docs/design.md)
 */
export type ButtonVariant = "primary" | "secondary" | "danger-outline" | "danger" | "ghost";

// Each variant's look when usable (with its hover) and when off: `disabled` or `aria-disabled` (a
// button off with a reason stays focusable: components/ui/disabled-reason.tsx), so no hover then.
const VARIANTS: Record<ButtonVariant, { on: string; off: string }> = {
  primary: {
    on: "border-transparent bg-indigo-600 text-white hover:bg-indigo-500",
    off: "border-transparent bg-indigo-300 text-white dark:bg-indigo-900 dark:text-indigo-300",
  },
  secondary: {
    on: "border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
    off: "border-slate-200 bg-white text-slate-400 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-500",
  },
  "danger-outline": {
    on: "border-red-300 bg-white text-red-700 hover:bg-red-50 dark:border-red-800 dark:bg-slate-900 dark:text-red-400 dark:hover:bg-red-950",
    off: "border-red-200 bg-white text-red-300 dark:border-red-950 dark:bg-slate-900 dark:text-red-800",
  },
  // Hover darkens: white on red-500 is 3.8:1, below WCAG AA.
  danger: {
    on: "border-transparent bg-red-600 text-white hover:bg-red-700",
    off: "border-transparent bg-red-300 text-white",
  },
  ghost: {
    on: "border-transparent text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
    off: "border-transparent text-slate-400 dark:text-slate-500",
  },
};

/**
 * The one button look, for a <button> and for a link that acts as one (the landing page's Sign in, the
 * not-found page's way back): same height, padding, radius, focus ring and colours everywhere.
 */
export function buttonClass(variant: ButtonVariant = "secondary", options: { off?: boolean } = {}): string {
  const look = VARIANTS[variant];
  return cn(
    // Every variant has a 1px border (transparent where none shows), so all stand the same height.
    "inline-flex items-center justify-center gap-2 rounded-md border px-3 py-2 text-sm font-medium transition-colors",
    "focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
    options.off ? cn("cursor-not-allowed", look.off) : look.on,
  );
}

export function Button({
  variant = "secondary",
  className,
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  const off = props.disabled === true || props["aria-disabled"] === true || props["aria-disabled"] === "true";
  return <button type={type} className={cn(buttonClass(variant, { off }), className)} {...props} />;
}
