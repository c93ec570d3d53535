import type { ActionError, ActionResult } from "@/lib/dashboard/action-result";

/** An action's expected failure, thrown so react-query treats it as an error. */
export class ActionFailure extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
  }
}

/** The data of a successful action, or its failure thrown. */
export function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new ActionFailure(result.error);
  return result.data;
}

/** What to show for a failed mutation. */
export function failureMessage(error: unknown, fallback: string): string {
  return error instanceof ActionFailure ? error.message : fallback;
}
