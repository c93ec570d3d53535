/** What every server action returns: data, or an expected failure the UI can show. */
export type ActionErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid"
  | "conflict"
  | "rate_limited"
  | "unavailable"
  | "error";

export interface ActionError {
  code: ActionErrorCode;
  message: string;
  /** API field path (e.g. `name`, `roles.space_role`) → message. */
  fieldErrors?: Record<string, string>;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };
