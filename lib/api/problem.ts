import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { DomainError, type DomainErrorKind } from "../domain/errors";

/** The contract's titles. */
const TITLES: Record<number, string> = {
  400: "Invalid request parameters",
  401: "Authentication required",
  403: "Access forbidden",
  404: "Resource not found",
  405: "Method not allowed",
  409: "Resource conflict",
  422: "Unprocessable request",
  429: "Rate limit exceeded",
};

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export interface Problem {
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? "Internal error" : "Request failed");
}

export function problemResponse(
  status: number,
  detail?: string,
  extra: { errors?: Problem["errors"]; retryAfterSeconds?: number } = {},
): Response {
  const body: Problem = { title: titleFor(status), status };
  if (detail) body.detail = detail;
  if (extra.errors?.length) body.errors = extra.errors;
  const headers: Record<string, string> = {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
  };
  if (extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(extra.retryAfterSeconds);
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="keydesk"';
  return new Response(JSON.stringify(body), { status, headers });
}

/** Validation failures, with the field each message is about. */
export function validationProblem(
  error: z.ZodError,
  where: "body" | "query" | "path" | "header" = "body",
): Response {
  const errors = error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    let message = issue.message;
    if (issue.code === "unrecognized_keys")
      message = `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`;
    return { field: field || where, message };
  });
  const detail = errors.map((e) => (e.field === where ? e.message : `${e.field}: ${e.message}`)).join(" ");
  return problemResponse(400, detail || `The request ${where} is not valid.`, { errors });
}

/** Errors we recognise as "the database cannot answer right now". */
function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[1-3]|08\d{3}|53300)$/.test(code)
    )
      return true;
    const message = e instanceof Error ? e.message : "";
    if (
      /timeout exceeded when trying to connect|Connection terminated|Cannot use a pool after calling end|PGlite is closed|connection is closed/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/** The one place where an error becomes an HTTP answer. */
export function errorToResponse(err: unknown, c?: Context): Response {
  if (err instanceof DomainError) {
    const status = STATUS[err.kind];
    return problemResponse(status, err.detail, {
      errors: err.errors,
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }
  if (err instanceof z.ZodError) return validationProblem(err);
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 400) return problemResponse(400, "The request body is not valid JSON.");
    // A required body that is missing or not JSON.
    if (status === 415)
      return problemResponse(400, "This request needs a JSON body, with `Content-Type: application/json`.");
    return problemResponse(status, err.message || undefined);
  }
  if (isUnavailable(err)) {
    log("warn", "database unavailable", err, c);
    return problemResponse(503, "The service cannot answer right now. Try again shortly.", {
      retryAfterSeconds: 1,
    });
  }
  log("error", "unhandled error", err, c);
  return problemResponse(
    500,
    "Something went wrong on our side. Try again; if it keeps happening, tell your administrator.",
  );
}

function log(level: "warn" | "error", msg: string, err: unknown, c?: Context): void {
  // Error messages and stacks only: never headers or bodies, which may hold credentials.
  const e = err instanceof Error ? err : new Error(String(err));
  // Drizzle appends the query's parameters (names, descriptions, ids) to its messages: keep them out.
  const scrub = (text: string | undefined) =>
    text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, "\nparams: [omitted]");
  console.error(
    JSON.stringify({
      level,
      msg,
      method: c?.req.method,
      path: c ? new URL(c.req.url).pathname : undefined,
      err: scrub(e.message),
      cause: e.cause instanceof Error ? e.cause.message : undefined,
      stack: scrub(e.stack),
    }),
  );
}
