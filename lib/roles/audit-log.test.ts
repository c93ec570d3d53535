import { describe, expect, it } from "vitest";
import { mayOpenAuditLog } from "./audit-log";

describe("who may open the audit log", () => {
  it("is account admins only", () => {
    expect(mayOpenAuditLog({ account_role: "admin" })).toBe(true);
    expect(mayOpenAuditLog({ account_role: "member" })).toBe(false);
  });
});
