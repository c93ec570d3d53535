import { cn } from "./cn";

/** A form's error that is not about one field, announced when it appears. Renders nothing without one. */
export function FormError({ message, className }: { message?: string | null; className?: string }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className={cn(
        "rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300",
        className,
      )}
    >
      {message}
    </p>
  );
}
