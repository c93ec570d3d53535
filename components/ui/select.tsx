import type { SelectHTMLAttributes } from "react";
import { cn } from "./cn";
import { inputClass } from "./field";

/** A native <select>, styled: accessible and keyboard-friendly by construction. */
export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(inputClass, "pr-8", className)} {...props} />;
}
