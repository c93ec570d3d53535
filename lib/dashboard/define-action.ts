import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { keysClient, type Problem } from "../keys-client";
import type { ActionError, ActionResult } from "./action-result";
import { browserOrigin, getSessionToken, requestClientAddress } from "./session";

/** What an action's body gets: the keys API as the viewer (or anonymous), and who is asking. */
export interface ActionContext {
  /** The typed keys client, with the viewer's session (when there is one), the browser's address and origin. */
  api: ReturnType<typeof keysClient>;
  /** The session token; never null in an action that requires a session. */
  token: string | null;
}

interface ActionOptions<S extends z.ZodType> {
  /** Validates the action's argument (anything may arrive: an action is a public endpoint). */
  input: S;
  /** `required` (the default): no session, no call. `optional`: sign-in and sign-out. */
  session?: "required" | "optional";
}

/** A refusal an action's body throws; the wrapper turns it into `{ ok: false, error }`. */
export class ActionRefusal extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
    this.name = "ActionRefusal";
  }
}

const signedOut: ActionError = {
  code: "authentication_required",
  message: "Your session has ended. Sign in again.",
};

/** The keys service did not answer at all. */
const unreachable: ActionError = {
  code: "unreachable",
  message: "The keys service could not be reached. Nothing was changed; try again.",
};

/**
 * Declares a server action: session, input parsing with the zod schema, the client's address, and
 * error mapping, once. The body returns its data or throws an ActionRefusal (`fromApi` does that for
 * a problem from the keys API); anything else thrown means the keys API could not be reached.
 * Every action authenticates and authorizes by itself; the keys API checks everything again.
 */
export function defineAction<S extends z.ZodType, T>(
  options: ActionOptions<S>,
  body: (input: z.output<S>, context: ActionContext) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw) => {
    const token = await getSessionToken();
    if (!token && options.session !== "optional") return { ok: false, error: signedOut };
    const parsed = options.input.safeParse(raw);
    if (!parsed.success) return { ok: false, error: invalidInput(parsed.error) };
    const api = keysClient({
      token: token ?? undefined,
      clientAddress: await requestClientAddress(),
      publicOrigin: await browserOrigin(),
    });
    try {
      return { ok: true, data: await body(parsed.data, { api, token }) };
    } catch (err) {
      unstable_rethrow(err); // redirect() and Next's other control-flow errors pass through
      if (err instanceof ActionRefusal) return { ok: false, error: err.error };
      return { ok: false, error: unreachable };
    }
  };
}

interface ApiAnswer<T> {
  data?: T;
  error?: Problem;
  response: Response;
}

/** The data of a keys API answer, or an ActionRefusal with the problem's own code and safe text. */
export function fromApi<T>(answer: ApiAnswer<T>): T {
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  throw new ActionRefusal(problemToError(answer.response.status, answer.error));
}

/** For answers without a body (204): refuses unless the keys API said yes. */
export function expectOk(answer: ApiAnswer<unknown>): void {
  if (!answer.response.ok) throw new ActionRefusal(problemToError(answer.response.status, answer.error));
}

/**
 * A keys API problem → an error the UI can show: the problem's own `code`, and only the API's own
 * safe `detail` text (a 5xx says nothing of its cause).
 */
function problemToError(status: number, problem: Partial<Problem> = {}): ActionError {
  const code = problem.code ?? (status >= 500 ? "internal_error" : "invalid_request");
  const message =
    status >= 500
      ? "The keys service could not complete this. Nothing was changed; try again."
      : (problem.detail ?? problem.title ?? "The request was refused.");
  const fieldErrors = problem.errors?.length
    ? Object.fromEntries(problem.errors.map((e) => [e.field, e.message]))
    : undefined;
  return { code, message, ...(fieldErrors ? { fieldErrors } : {}) };
}

function invalidInput(error: z.ZodError): ActionError {
  return {
    code: "invalid_request",
    message: "Some fields need attention.",
    fieldErrors: Object.fromEntries(
      error.issues.map((i) => [i.path.map(String).join(".") || "form", i.message]),
    ),
  };
}
