import "server-only";
import type { z } from "zod";
import type { Problem } from "../keys-client";
import type { ActionError, ActionErrorCode } from "./action-result";
import { getSessionToken, requestClientAddress } from "./session";

export const signedOut: ActionError = {
  code: "authentication_required",
  message: "Your session has ended. Sign in again.",
};

/** Every action starts here: no session, no call. */
export async function requireSession(): Promise<{ token: string; clientAddress: string | null } | null> {
  const token = await getSessionToken();
  if (!token) return null;
  return { token, clientAddress: await requestClientAddress() };
}

/**
 * A keys API problem → an error the UI can show: the problem's own `code`, and only the API's own
 * safe `detail` text.
 */
export function problemToError(status: number, body: Partial<Problem> | undefined): ActionError {
  const problem = body ?? {};
  const code: ActionErrorCode = problem.code ?? (status >= 500 ? "internal_error" : "invalid_request");
  const message =
    status >= 500
      ? "The keys service could not complete this. Nothing was changed; try again."
      : (problem.detail ?? problem.title ?? "The request was refused.");
  const fieldErrors = problem.errors?.length
    ? Object.fromEntries(problem.errors.map((e) => [e.field, e.message]))
    : undefined;
  return { code, message, ...(fieldErrors ? { fieldErrors } : {}) };
}

export function invalidInput(error: z.ZodError): ActionError {
  return {
    code: "invalid_request",
    message: "Some fields need attention.",
    fieldErrors: Object.fromEntries(
      error.issues.map((i) => [i.path.map(String).join(".") || "form", i.message]),
    ),
  };
}

/** The keys service did not answer at all. */
export const unreachable: ActionError = {
  code: "unreachable",
  message: "The keys service could not be reached. Nothing was changed; try again.",
};
