import { describe, expect, it } from "vitest";
import { ACCOUNT_ROLES, SCOPE_ROLES } from "./names";
import { grantRefusal, mayDo, parseRole } from "./roles";

describe("directory rules (pure)", () => {
  it("mayDo follows directory.md's table", () => {
    const member = {
      accountRole: "member" as const,
      organizationRole: "member" as const,
      spaceRole: "admin" as const,
    };
    expect(mayDo("manage_users", member)).toBe(false);
    expect(mayDo("manage_organizations", member)).toBe(false);
    expect(mayDo("manage_spaces", member)).toBe(false);
    expect(mayDo("manage_space_members", member)).toBe(true);
    expect(mayDo("manage_organization_members", { ...member, organizationRole: "admin" })).toBe(true);
    expect(mayDo("read_members", { accountRole: "member", organizationRole: null, spaceRole: null })).toBe(
      false,
    );
    expect(mayDo("manage_users", { accountRole: "admin", organizationRole: null, spaceRole: null })).toBe(
      true,
    );
  });

  it("grantRefusal clamps like service keys and names scope, role and cap", () => {
    expect(grantRefusal("space Staging", "member", "admin")).toBeNull();
    expect(grantRefusal("space Staging", "admin", "member")).toMatch(/"admin" in space Staging .*"member"/);
    expect(grantRefusal("space Staging", "read-only", null)).not.toBeNull();
  });

  it("parseRole reads names in any case, read_only, and generation D role objects; ANNOTATOR and CUSTOM are unsupported", () => {
    expect(parseRole("READ_ONLY", SCOPE_ROLES)).toEqual({ ok: true, role: "read-only" });
    expect(parseRole({ type: "predefined", name: "Member" }, SCOPE_ROLES)).toEqual({
      ok: true,
      role: "member",
    });
    expect(parseRole("read-only", ACCOUNT_ROLES)).toMatchObject({ ok: false, unsupported: false });
    expect(parseRole("ANNOTATOR", SCOPE_ROLES)).toMatchObject({ ok: false, unsupported: true });
    expect(parseRole({ type: "CUSTOM", id: "x" }, SCOPE_ROLES)).toMatchObject({
      ok: false,
      unsupported: true,
    });
    expect(parseRole({ type: "PREDEFINED" }, SCOPE_ROLES)).toMatchObject({ ok: false, unsupported: false });
  });
});
