import { describe, expect, it } from "vitest";
import { accountRoleFromRequest, scopeRoleFromRequest } from "./role-input";

describe("an API key's role objects, read by the one role reader the memberships use", () => {
  it("reads predefined names in any case, read_only too, the type optional", () => {
    expect(scopeRoleFromRequest({ type: "predefined", name: "READ_ONLY" }, "space_role")).toBe("read-only");
    expect(scopeRoleFromRequest({ name: "Member" }, "space_role")).toBe("member");
    expect(accountRoleFromRequest({ name: "admin" }, "account_role")).toBe("admin");
  });

  it("answers CUSTOM and ANNOTATOR with 422 not_supported, as memberships do", () => {
    const roles = [
      { type: "custom" as const, id: "Um9sZTox" },
      { name: "x", id: "Um9sZTox" },
      { name: "ANNOTATOR" },
    ];
    for (const role of roles) {
      expect(() => scopeRoleFromRequest(role, "organizations.0.role"), JSON.stringify(role)).toThrow(
        expect.objectContaining({
          kind: "unprocessable",
          code: "not_supported",
          detail: expect.stringMatching(/not supported by this server/),
        }),
      );
    }
  });

  it("answers an unknown name, or a scope role as an account role, with 400 on the field", () => {
    expect(() => accountRoleFromRequest({ name: "READ_ONLY" }, "account_role")).toThrow(
      expect.objectContaining({
        kind: "invalid",
        code: "invalid_request",
        errors: [expect.objectContaining({ field: "account_role" })],
      }),
    );
    expect(() => scopeRoleFromRequest({ name: "owner" }, "space_role")).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
  });
});
