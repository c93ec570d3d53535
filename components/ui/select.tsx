import type { SelectHTMLAttributes } from "react";
import { cn } from "./cn";
import { inputClass } from "./field";

/**
 * A native <select> that looks like the inputs beside it: the same height, border, radius, focus ring
 * and disabled look, with a drawn chevron (`.select-chevron` in app/globals.css) in place of the
 * browser's own. Still the native element: its label, keyboard and a phone's picker stay.
 */
export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(inputClass, "select-chevron pr-9", className)} {...props} />;
}
