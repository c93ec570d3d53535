import { describe, expect, it } from "vitest";
import { spaceContext } from "@/lib/roles/roles";
import { ada, max } from "@/lib/testing/demo-viewers";
import { clampedRoles, roleOptions } from "./role-options";

const disabled = (result: ReturnType<typeof roleOptions>) =>
  result.options.filter((o) => o.disabledReason !== null).map((o) => o.label);

describe("roleOptions", () => {
  const production = spaceContext(max, "space-production");
  const staging = spaceContext(max, "space-staging");

  it("disables the roles above the viewer's own, with the reason as the field's hint", () => {
    const space = roleOptions("space", max, production);
    expect(space.options.map((o) => o.label)).toEqual(["Admin", "Member", "Read-Only"]);
    expect(disabled(space)).toEqual(["Admin"]);
    expect(space.limit).toBe("Limited to your role in Production: Member");
  });

  it("caps by the space's organization for the org role", () => {
    const org = roleOptions("org", max, staging);
    expect(disabled(org)).toEqual(["Admin"]);
    expect(org.limit).toBe("Limited to your role in Platform: Member");
    expect(roleOptions("space", max, staging).limit).toBeUndefined();
  });

  it("offers Admin and Member for the account role, Admin only to account admins", () => {
    const account = roleOptions("account", max, staging);
    expect(account.options.map((o) => o.label)).toEqual(["Admin", "Member"]);
    expect(account.limit).toBe("Limited to your account role: Member");
    expect(roleOptions("account", ada, spaceContext(ada, "space-staging")).limit).toBeUndefined();
  });

  it("disables nothing for an admin", () => {
    const context = spaceContext(ada, "space-production");
    for (const scope of ["space", "org", "account"] as const)
      expect(disabled(roleOptions(scope, ada, context))).toEqual([]);
  });
});

describe("clampedRoles", () => {
  it("pulls roles above the new space's caps down to the caps and keeps the rest", () => {
    const production = spaceContext(max, "space-production");
    expect(clampedRoles({ spaceRole: "admin", orgRole: "admin" }, max, production)).toEqual({
      spaceRole: "member",
      orgRole: "member",
    });
    expect(clampedRoles({ spaceRole: "read-only", orgRole: "read-only" }, max, production)).toEqual({
      spaceRole: "read-only",
      orgRole: "read-only",
    });
  });

  it("leaves roles alone without a space", () => {
    expect(clampedRoles({ spaceRole: "admin", orgRole: "admin" }, max, null)).toEqual({
      spaceRole: "admin",
      orgRole: "admin",
    });
  });
});
