import { describe, expect, it } from "vitest";
import { auditLogApiQuery, auditLogFiltersFromParams } from "./audit-log-filters";

describe("the audit log page's URL filters", () => {
  it("reads actor, action, from and to, and drops malformed values", () => {
    const params = new URLSearchParams("actor=VXNlcjox&action=create_api_key&from=2026-12-01&to=nope");
    expect(auditLogFiltersFromParams(params)).toEqual({
      actorId: "VXNlcjox",
      action: "create_api_key",
      from: "2026-12-01",
    });
  });

  it("asks the API for whole UTC days, the whole log without From, and failed sign-ins unless an actor is chosen", () => {
    expect(auditLogApiQuery({ from: "2026-12-01", to: "2026-12-06" })).toEqual({
      start_time: "2026-12-01T00:00:00.000Z",
      end_time: "2026-12-06T23:59:59.999Z",
      include_unattributed: "true",
    });
    expect(auditLogApiQuery({ actorId: "VXNlcjox", action: "create_api_key" })).toEqual({
      start_time: "1970-01-01T00:00:00.000Z",
      user_id: "VXNlcjox",
      operation_name: ["create_api_key"],
    });
  });
});
