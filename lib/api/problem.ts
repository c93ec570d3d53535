import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { DatabaseConnectionError } from "../db/connection-error";
import { DomainError, type DomainErrorKind } from "../domain/errors";
import { logger } from "../domain/logger";
import type { ProblemCode } from "../schemas/common";
import type { ApiEnv } from "./context";

/** The contract's titles. */
const TITLES: Record<number, string> = {
  400: "Invalid request parameters",
  401: "Authentication required",
  403: "Access forbidden",
  404: "Resource not found",
  405: "Method not allowed",
  409: "Resource conflict",
  413: "Content too large",
  422: "Unprocessable request",
  429: "Rate limit exceeded",
  501: "Not implemented",
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
  not_implemented: 501,
};

/** The code of a problem that no domain error named more precisely. */
const CODE_BY_STATUS: Record<number, ProblemCode> = {
  400: "invalid_request",
  401: "authentication_required",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  422: "unprocessable",
  429: "rate_limited",
  503: "database_unavailable",
};

export interface Problem {
  title: string;
  status: number;
  detail?: string;
  /** [ext] The stable reason (lib/schemas/common.ts). */
  code?: ProblemCode;
  errors?: { field: string; message: string }[];
}

function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? "Internal error" : "Request failed");
}

export function problemResponse(
  status: number,
  detail?: string,
  extra: { code?: ProblemCode; errors?: Problem["errors"]; retryAfterSeconds?: number } = {},
): Response {
  const body: Problem = { title: titleFor(status), status };
  if (detail) body.detail = detail;
  body.code = extra.code ?? CODE_BY_STATUS[status] ?? (status >= 500 ? "internal_error" : "invalid_request");
  if (extra.errors?.length) body.errors = extra.errors;
  const headers: Record<string, string> = {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
  };
  if (extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(extra.retryAfterSeconds);
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="keydesk"';
  return new Response(JSON.stringify(body), { status, headers });
}

/** What a JSON value is, in words: "a number", "an array", "null". */
function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The value at `path` inside `input`, or undefined when the path leads nowhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const BODY_NOT_OBJECT = "The body must be a JSON object.";
const EXPECTED: Partial<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

/**
 * Validation failures, with the field each message is about. With the `input` that failed, a value of
 * the wrong type is named as such ("Expected a string, got a number.") instead of the field's own
 * message, which speaks to a missing value ("Give the key a name.").
 */
export function validationProblem(
  error: z.ZodError,
  where: "body" | "query" | "path" | "header" = "body",
  input?: unknown,
): Response {
  const errors = error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    let message = issue.message;
    if (issue.code === "unrecognized_keys")
      message = `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`;
    else if (issue.code === "invalid_type" && input !== undefined) {
      const value = valueAt(input, issue.path);
      if (issue.path.length === 0 && where === "body") message = BODY_NOT_OBJECT;
      else if (value !== undefined)
        message = `Expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeJson(value)}.`;
    }
    return { field: field || where, message };
  });
  const detail = errors.map((e) => (e.field === where ? e.message : `${e.field}: ${e.message}`)).join(" ");
  return problemResponse(400, detail || `The request ${where} is not valid.`, { errors });
}

/**
 * The problem as this client gets it: with the request's id (`request_id`), or — for clients whose own
 * Problem schema refuses unknown fields (dialect.ts decides which) — without its [ext] `code` and
 * without `request_id` (they still have the `x-request-id` header).
 */
export async function problemForClient(
  res: Response,
  client: { extensions: boolean; requestId: string | undefined },
): Promise<Response> {
  const body = (await res.json()) as Problem & { request_id?: string };
  if (client.extensions) {
    if (client.requestId) body.request_id = client.requestId;
  } else delete body.code;
  return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
}

// SQLSTATEs of a database that cannot answer now but may shortly: connection exceptions (08),
// insufficient resources (53), operator intervention (57P01–57P05: terminated backends, shutdown),
// statement and lock timeouts (57014, 55P03), serialization failures and deadlocks (40001, 40P01);
// and the socket errors of a server that is gone or unreachable.
const UNAVAILABLE_CODES =
  /^(08\d{3}|53\d{3}|57P0[1-5]|57014|55P03|40001|40P01|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;
// pg and pg-pool report some of these only in words.
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|terminating connection|not queryable|Cannot use a pool after calling end|PGlite is closed|connection is closed/i;

/**
 * Errors we recognise as "the database cannot answer right now": 503, never 500. Any failure to get a
 * connection (DatabaseConnectionError, whatever PostgreSQL's SQLSTATE), any error that ended the
 * session (severity FATAL or PANIC: the connection is gone), and the codes and messages above.
 */
function isUnavailable(err: unknown, depth = 0): boolean {
  if (!err || depth > 5) return false;
  if (err instanceof DatabaseConnectionError) return true;
  const severity = (err as { severity?: unknown }).severity;
  if (severity === "FATAL" || severity === "PANIC") return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.test(code)) return true;
  if (err instanceof Error && UNAVAILABLE_MESSAGES.test(err.message)) return true;
  // Node reports a refused connection to every address of a name as one AggregateError.
  if (err instanceof AggregateError && err.errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return isUnavailable((err as { cause?: unknown }).cause, depth + 1);
}

/** The one place where an error becomes an HTTP answer. */
export function errorToResponse(err: unknown, c?: Context<ApiEnv>): Response {
  if (err instanceof DomainError) {
    const status = STATUS[err.kind];
    return problemResponse(status, err.detail, {
      code: err.code,
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
    // One short line: during an outage every request lands here, and the query text helps nobody.
    logger.warn({ ...where(c), reason: innermostMessage(err) }, "database unavailable");
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

function innermostMessage(err: unknown): string {
  let e = err;
  for (let depth = 0; depth < 5 && e instanceof Error && e.cause instanceof Error; depth++) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** The request a line is about: its id, method and route pattern (never its path or query). */
function where(c: Context<ApiEnv> | undefined) {
  if (!c) return {};
  return {
    req_id: c.get("requestId"),
    method: c.req.method,
    route: matchedRoutes(c).findLast((r) => r.method !== "ALL")?.path,
  };
}

function log(level: "warn" | "error", msg: string, err: unknown, c?: Context<ApiEnv>): void {
  // Error messages and stacks only: never headers or bodies, which may hold credentials.
  const e = err instanceof Error ? err : new Error(String(err));
  // Drizzle appends the query's parameters (names, descriptions, ids) to its messages: keep them out.
  const scrub = (text: string | undefined) =>
    text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, "\nparams: [omitted]");
  logger[level](
    {
      ...where(c),
      err: { type: e.name, message: scrub(e.message), stack: scrub(e.stack) },
      cause: e.cause instanceof Error ? scrub(e.cause.message) : undefined,
    },
    msg,
  );
}
