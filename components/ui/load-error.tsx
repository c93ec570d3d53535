import { Button } from "./button";

/** A list that failed to load: says so, with the reason and Retry — never an empty list. */
export function LoadError({
  what,
  message,
  onRetry,
}: {
  what: string;
  message: string;
  onRetry: () => void;
}) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm dark:border-red-900 dark:bg-red-950"
    >
      <p className="font-medium text-red-800 dark:text-red-200">The {what} could not be loaded.</p>
      <p className="mt-1 text-red-700 dark:text-red-300">{message}</p>
      <Button className="mt-3" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}
