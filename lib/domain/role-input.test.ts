import { describe, expect, it } from "vitest";
import { SCOPE_ROLES } from "../roles/names";
import { assertGrantable, readRole } from "./role-input";

describe("the one role reader for requests", () => {
  it("reads a membership's role in any spelling, and refuses CUSTOM and ANNOTATOR with not_supported", () => {
    expect(readRole("READ_ONLY", SCOPE_ROLES, "role")).toBe("read-only");
    expect(readRole({ type: "PREDEFINED", name: "Admin" }, SCOPE_ROLES, "role")).toBe("admin");
    for (const input of [{ type: "CUSTOM", id: "Um9sZTox" }, "ANNOTATOR"]) {
      expect(() => readRole(input, SCOPE_ROLES, "role")).toThrow(
        expect.objectContaining({ kind: "unprocessable", code: "not_supported" }),
      );
    }
    expect(() => readRole("owner", SCOPE_ROLES, "role")).toThrow(
      expect.objectContaining({
        code: "invalid_request",
        errors: [expect.objectContaining({ field: "role" })],
      }),
    );
  });

  it("answers a grant above the caller's own role with role_above_cap: 400, or 422 for generation D", () => {
    expect(() => assertGrantable("space Staging", "member", "admin", false)).not.toThrow();
    const detail = expect.stringMatching(/"admin" in space Staging .*"member"/);
    expect(() => assertGrantable("space Staging", "admin", "member", false)).toThrow(
      expect.objectContaining({
        kind: "invalid",
        code: "role_above_cap",
        detail,
        errors: [{ field: "role", message: detail }],
      }),
    );
    expect(() => assertGrantable("organization Platform", "read-only", null, true)).toThrow(
      expect.objectContaining({ kind: "unprocessable", code: "role_above_cap" }),
    );
  });
});
