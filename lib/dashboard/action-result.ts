import type { ProblemCode } from "../schemas/common";

/**
 * What every server action returns: data, or an expected failure the UI can show. The code is the
 * keys API's own (`code` of its problem), or `unreachable` when the API did not answer at all.
 */
type ActionErrorCode = ProblemCode | "unreachable";

export interface ActionError {
  code: ActionErrorCode;
  message: string;
  /** API field path (e.g. `name`, `roles.space_role`) → message. */
  fieldErrors?: Record<string, string>;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };
