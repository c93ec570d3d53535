import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors";
import { accountRoleFromRequest, scopeRoleFromRequest } from "./role-input";

function refusal(read: () => unknown): DomainError {
  try {
    read();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("an API key's role objects, read by the one role reader the memberships use", () => {
  it("reads predefined names in any case, read_only too, the type optional", () => {
    expect(scopeRoleFromRequest({ type: "predefined", name: "READ_ONLY" }, "space_role")).toBe("read-only");
    expect(scopeRoleFromRequest({ name: "Member" }, "space_role")).toBe("member");
    expect(accountRoleFromRequest({ name: "admin" }, "account_role")).toBe("admin");
  });

  it("answers CUSTOM and ANNOTATOR with 422 not_supported, as memberships do", () => {
    for (const role of [
      { type: "custom" as const, id: "Um9sZTox" },
      { name: "x", id: "Um9sZTox" },
      { name: "ANNOTATOR" },
    ]) {
      const err = refusal(() => scopeRoleFromRequest(role, "organizations.0.role"));
      expect([err.kind, err.code], JSON.stringify(role)).toEqual(["unprocessable", "not_supported"]);
      expect(err.detail).toMatch(/not supported by this server/);
    }
  });

  it("answers an unknown name, or a scope role as an account role, with 400 on the field", () => {
    const err = refusal(() => accountRoleFromRequest({ name: "READ_ONLY" }, "account_role"));
    expect([err.kind, err.code]).toEqual(["invalid", "invalid_request"]);
    expect(err.errors?.map((e) => e.field)).toEqual(["account_role"]);
    expect(refusal(() => scopeRoleFromRequest({ name: "owner" }, "space_role")).code).toBe("invalid_request");
  });
});
