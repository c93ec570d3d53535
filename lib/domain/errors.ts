/**
 * The domain's one error vocabulary. The HTTP layer maps each kind to a status and a problem+json
 * body in one place (lib/api/problem.ts); nothing else builds error bodies. Each error carries the
 * problem's stable `code` from the one list in lib/schemas/common.ts.
 */
import type { ProblemCode } from "../schemas/common";

export type DomainErrorKind =
  | "invalid" // 400
  | "unauthenticated" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409
  | "unprocessable" // 422
  | "rate_limited" // 429
  | "unavailable" // 503
  | "not_implemented"; // 501

const CODE: Record<DomainErrorKind, ProblemCode> = {
  invalid: "invalid_request",
  unauthenticated: "authentication_required",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  unprocessable: "unprocessable",
  rate_limited: "rate_limited",
  unavailable: "database_unavailable",
  not_implemented: "not_implemented",
};

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  /** The problem's stable `code` (lib/schemas/common.ts): the kind's own, or a more precise one. */
  readonly code: ProblemCode;
  /** Safe to show to the caller. */
  readonly detail: string;
  readonly retryAfterSeconds?: number;
  /** The fields the error is about, each with its own message. */
  readonly errors?: FieldError[];

  constructor(
    kind: DomainErrorKind,
    detail: string,
    extra: {
      code?: ProblemCode;
      retryAfterSeconds?: number;
      field?: string;
      errors?: FieldError[];
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: extra.cause });
    this.name = "DomainError";
    this.kind = kind;
    this.code = extra.code ?? CODE[kind];
    this.detail = detail;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.errors = extra.errors ?? (extra.field ? [{ field: extra.field, message: detail }] : undefined);
  }
}

export const invalid = (detail: string, field?: string) => new DomainError("invalid", detail, { field });
/**
 * A service key's role above the caller's own; each field carries the reason it is out of reach.
 * A 400, or a 422 where the client's contract says so (Arize's generation D).
 */
export const roleAboveCap = (
  detail: string,
  errors: FieldError[],
  kind: "invalid" | "unprocessable" = "invalid",
) => new DomainError(kind, detail, { code: "role_above_cap", errors });
export const forbidden = (detail: string) => new DomainError("forbidden", detail);
export const notFound = (detail = "The resource does not exist or you cannot see it.") =>
  new DomainError("not_found", detail);
export const conflict = (detail: string) => new DomainError("conflict", detail);
/** Valid for Arize, not for Keydesk: custom roles, ANNOTATOR, role bindings, resource restrictions. */
export const unsupported = (what: string) =>
  new DomainError("unprocessable", `${what} not supported by this server.`, { code: "not_supported" });
/** One message for every credential failure, so nothing tells them apart. */
export const unauthenticated = () =>
  new DomainError("unauthenticated", "A valid API key or session token is required.");
export const rateLimited = (retryAfterSeconds: number) =>
  new DomainError("rate_limited", `Too many requests. Try again in ${retryAfterSeconds} seconds.`, {
    retryAfterSeconds,
  });
