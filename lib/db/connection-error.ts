/**
 * No connection could be had: the pool's wait timed out, the server refused or dropped the connection
 * attempt, or PostgreSQL turned it away (a database not accepting connections, too many clients, the
 * server starting or shutting down, a database or role that is gone, whatever the SQLSTATE). The
 * statement or transaction that wanted it has not run; the API answers 503 with Retry-After
 * (lib/api/problem.ts). The original error is the `cause`.
 */
export class DatabaseConnectionError extends Error {
  constructor(cause: unknown) {
    super(`Could not get a database connection: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "DatabaseConnectionError";
  }
}
