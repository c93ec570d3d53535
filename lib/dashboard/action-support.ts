import "server-only";
import type { z } from "zod";
import type { ActionError, ActionErrorCode } from "./action-result";
import { getSessionToken, requestClientAddress } from "./session";

const CODE_BY_STATUS: Record<number, ActionErrorCode> = {
  400: "invalid",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "invalid",
  429: "rate_limited",
  503: "unavailable",
};

export const signedOut: ActionError = {
  code: "unauthenticated",
  message: "Your session has ended. Sign in again.",
};

/** Every action starts here: no session, no call. */
export async function requireSession(): Promise<{ token: string; clientAddress: string | null } | null> {
  const token = await getSessionToken();
  if (!token) return null;
  return { token, clientAddress: await requestClientAddress() };
}

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** A keys API problem → an error the UI can show. Only the API's own safe `detail` text is passed on. */
export function problemToError(status: number, body: unknown): ActionError {
  const problem = (typeof body === "object" && body !== null ? body : {}) as ProblemBody;
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? "unavailable" : "error");
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
    code: "invalid",
    message: "Some fields need attention.",
    fieldErrors: Object.fromEntries(
      error.issues.map((i) => [i.path.map(String).join(".") || "form", i.message]),
    ),
  };
}

/** The keys service did not answer at all. */
export const unreachable: ActionError = {
  code: "unavailable",
  message: "The keys service could not be reached. Nothing was changed; try again.",
};
