import { describe, expect, it, vi } from "vitest";
import { DatabaseConnectionError } from "../db/connection-error";
import { errorToResponse } from "./problem";

/** An error as node-postgres reports one from the server: a SQLSTATE and a severity. */
const pgError = (code: string, severity: string, message: string) =>
  Object.assign(new Error(message), { code, severity });

describe("database trouble is classified by when it happened, not by a list of codes", () => {
  it.each([
    [
      "55000 (ALLOW_CONNECTIONS false)",
      pgError("55000", "FATAL", 'database "k" is not currently accepting connections'),
    ],
    ["3D000 (a database that is gone)", pgError("3D000", "FATAL", 'database "k" does not exist')],
    [
      "28P01 (a password changed under us)",
      pgError("28P01", "FATAL", 'password authentication failed for user "k"'),
    ],
    ["the pool's wait", new Error("timeout exceeded when trying to connect")],
  ])("failing to get a connection is 503 with Retry-After, whatever the cause: %s", (_name, cause) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = errorToResponse(
      new Error("Failed query: select 1", { cause: new DatabaseConnectionError(cause) }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    log.mockRestore();
  });

  it("an error that ended the session (FATAL) is 503: the connection is gone", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = errorToResponse(
      pgError("25P03", "FATAL", "terminating connection due to idle-in-transaction timeout"),
    );
    expect(res.status).toBe(503);
    log.mockRestore();
  });

  it("the same SQLSTATE raised by a statement on a live connection is not a 503 (55000 means many things)", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = errorToResponse(
      pgError("55000", "ERROR", 'currval of sequence "s" is not yet defined in this session'),
    );
    expect(res.status).toBe(500);
    log.mockRestore();
  });
});
